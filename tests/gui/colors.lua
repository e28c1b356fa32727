-- Draws known text in known colours for the screenshot test:
-- row 1: "moonbox" in white on black; row 2: a full block (char 143) in each
-- of the 16 colours; row 3: a space on each of the 16 background colours.
term.setBackgroundColour(colors.black)
term.clear()
term.setCursorPos(1, 1)
term.setTextColour(colors.white)
term.write("moonbox")
local hex = "0123456789abcdef"
for i = 1, 16 do
  term.setCursorPos(i, 2)
  term.blit("\143", hex:sub(i, i), "f")
  term.setCursorPos(i, 3)
  term.blit(" ", "0", hex:sub(i, i))
end
term.setCursorPos(1, 5)
term.setTextColour(colors.lime)
print("Hello from moonbox")
term.setCursorBlink(false)
while true do os.pullEvent("never") end
