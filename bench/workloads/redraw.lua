-- Rewrites every cell of the screen, in a new colour, as fast as it can:
-- each frame of the window has a full redraw to do.
local w, h = term.getSize()
local hex = "0123456789abcdef"
local i = 0
while true do
  i = i + 1
  local fg = hex:sub(i % 16 + 1, i % 16 + 1)
  local line = string.rep(string.char(65 + i % 26), w)
  for y = 1, h do
    term.setCursorPos(1, y)
    term.blit(line, string.rep(fg, w), string.rep("f", w))
  end
  sleep(0)
end
