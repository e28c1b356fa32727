-- A window drawn into the terminal: a blue box with wrapped text, and a
-- red pixel from paintutils, for the pixel check.
term.setBackgroundColour(colors.black)
term.clear()
local w = window.create(term.current(), 5, 3, 10, 4)
w.setBackgroundColour(colors.blue)
w.clear()
local old = term.redirect(w)
print("in a window")
term.redirect(old)
paintutils.drawPixel(20, 10, colors.red)
term.setBackgroundColour(colors.black)
term.setCursorPos(1, 19)
sleep(5)
