--- cc.strings: word wrapping and padding for the terminal, and split.
local expect = require("cc.expect")
local field = expect.field
expect = expect.expect

local strings = {}

--- Wraps text into lines of at most `width` characters (default: the
-- terminal's width). Words longer than a line are broken; the spaces at the
-- end of a line are kept, as CC does.
function strings.wrap(text, width)
  expect(1, text, "string")
  expect(2, width, "number", "nil")
  width = width or term.getSize()
  local lines, current = {}, ""
  local function push()
    lines[#lines + 1] = current
    current = ""
  end
  local pos, length = 1, #text
  while pos <= length do
    local head = text:sub(pos, pos)
    if head == " " or head == "\t" then
      local space = text:match("^[ \t]+", pos)
      current = current .. space
      pos = pos + #space
    elseif head == "\n" then
      push()
      pos = pos + 1
    else
      local word = text:match("^[^ \t\n]+", pos)
      pos = pos + #word
      if #word > width then
        while #word > 0 do
          local room = width - #current
          if room <= 0 then
            push()
            room = width
          end
          current = current .. word:sub(1, room)
          word = word:sub(room + 1)
        end
      else
        if width - #current < #word then push() end
        current = current .. word
      end
    end
  end
  push()
  for i, line in ipairs(lines) do lines[i] = line:sub(1, width) end
  return lines
end

--- Pads or cuts a line to exactly `width` characters.
function strings.ensure_width(line, width)
  expect(1, line, "string")
  expect(2, width, "number", "nil")
  width = width or term.getSize()
  line = line:sub(1, width)
  if #line < width then line = line .. (" "):rep(width - #line) end
  return line
end

--- Splits str at each deliminator (a pattern, or plain text when `plain`),
-- at most `limit` times.
function strings.split(str, deliminator, plain, limit)
  expect(1, str, "string")
  expect(2, deliminator, "string")
  expect(3, plain, "boolean", "nil")
  expect(4, limit, "number", "nil")
  local out, n, start = {}, 0, 1
  while true do
    if limit and n + 1 >= limit then break end
    local s, e = str:find(deliminator, start, plain)
    if not s or e < s then break end
    n = n + 1
    out[n] = str:sub(start, s - 1)
    start = e + 1
  end
  out[n + 1] = str:sub(start)
  return out
end

return strings
