-- help [topic]: shows a help page from /rom/help ("help" alone: intro), as
-- CC's: a page that fits on the screen is printed; a longer one opens a
-- viewer (Up/Down, Page Up/Down, Home/End, the mouse wheel; Q or Enter
-- leaves).
local strings = require("cc.strings")
local args = { ... }
local topic = args[1] or "intro"
if topic == "index" then
  print("Help topics available:")
  textutils.pagedTabulate(help.topics())
  return
end
local file = help.lookup(topic)
if not file then
  printError("No help available")
  return
end
local h = fs.open(file, "r")
local text = h.readAll() or ""
h.close()

local width, height = term.getSize()
local lines = strings.wrap(text, width)
if #lines < height then
  for _, line in ipairs(lines) do print(line) end
  return
end

-- The viewer: the page above, a bar with the topic (and where we are, when
-- there is room) on the bottom row.
local top = 1
local function draw()
  local fg, bg = term.getTextColour(), term.getBackgroundColour()
  for row = 1, height - 1 do
    term.setCursorPos(1, row)
    term.clearLine()
    term.write(lines[top + row - 1] or "")
  end
  term.setCursorPos(1, height)
  term.setBackgroundColour(term.isColour() and colours.grey or colours.black)
  term.setTextColour(term.isColour() and colours.yellow or colours.white)
  term.clearLine()
  local title = "Help: " .. topic
  local where = ("%d/%d"):format(math.min(top + height - 2, #lines), #lines)
  term.write(title:sub(1, width))
  if #title + #where + 1 <= width then
    term.setCursorPos(width - #where + 1, height)
    term.write(where)
  end
  term.setTextColour(fg)
  term.setBackgroundColour(bg)
end

local function scroll_to(line)
  top = math.max(1, math.min(line, #lines - (height - 1) + 1))
  draw()
end

draw()
while true do
  local event, a = os.pullEvent()
  if event == "key" then
    if a == keys.q or a == keys.enter or a == keys.numPadEnter then break
    elseif a == keys.up then scroll_to(top - 1)
    elseif a == keys.down then scroll_to(top + 1)
    elseif a == keys.pageUp then scroll_to(top - (height - 1))
    elseif a == keys.pageDown or a == keys.space then scroll_to(top + (height - 1))
    elseif a == keys.home then scroll_to(1)
    elseif a == keys["end"] then scroll_to(#lines)
    end
  elseif event == "mouse_scroll" then
    scroll_to(top + a)
  elseif event == "term_resize" then
    width, height = term.getSize()
    lines = strings.wrap(text, width)
    scroll_to(top)
  end
end
term.clear()
term.setCursorPos(1, 1)
