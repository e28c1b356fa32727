--- cc.image.nft: "Nitrogen Fingers Text" images: text where the byte 30
-- followed by a blit digit sets the background and 31 the foreground.
local expect = require("cc.expect").expect

local nft = {}

--- Parses an image into lines of {text=, foreground=, background=}.
function nft.parse(image)
  expect(1, image, "string")
  local result = {}
  local line = 1
  local fg, bg = "0", "f"
  local text, fore, back = {}, {}, {}
  local i = 1
  while i <= #image do
    local c = image:sub(i, i)
    if c == "\30" then
      bg = image:sub(i + 1, i + 1)
      i = i + 2
    elseif c == "\31" then
      fg = image:sub(i + 1, i + 1)
      i = i + 2
    elseif c == "\n" then
      result[line] = {text = table.concat(text), foreground = table.concat(fore), background = table.concat(back)}
      line = line + 1
      text, fore, back = {}, {}, {}
      i = i + 1
    else
      text[#text + 1], fore[#fore + 1], back[#back + 1] = c, fg, bg
      i = i + 1
    end
  end
  -- The text after the last newline is a line only when it is not empty.
  if #text > 0 then
    result[line] = {text = table.concat(text), foreground = table.concat(fore), background = table.concat(back)}
  end
  return result
end

--- Loads and parses an image file; nil and a message when it cannot be read.
function nft.load(path)
  expect(1, path, "string")
  local file, err = io.open(path, "r")
  if not file then return nil, err end
  local text = file:read("a")
  file:close()
  return nft.parse(text)
end

--- Draws a parsed image at (x, y) on target (default: the terminal).
function nft.draw(image, x, y, target)
  expect(1, image, "table")
  expect(2, x, "number")
  expect(3, y, "number")
  expect(4, target, "table", "nil")
  target = target or term
  for row, line in ipairs(image) do
    target.setCursorPos(x, y + row - 1)
    target.blit(line.text, line.foreground, line.background)
  end
end

return nft
