-- edit <file>: a full-screen text editor.
-- Arrows, Home/End, PageUp/PageDown, Enter, Backspace, Delete, Tab.
-- Press Ctrl for the menu (Save / Run / Exit): Left/Right choose, Enter picks.
-- Ctrl+S saves and Ctrl+Q exits directly.
local process = require("system.process")

local path = ...
if not path then
  print("Usage: edit <path>")
  return
end
if fs.exists(path) and fs.isDir(path) then
  print("Cannot edit a directory.")
  return
end
local readonly = fs.isReadOnly(path)

local lines = {}
do
  local h = fs.open(path, "r")
  if h then
    for line in h.readLine do lines[#lines + 1] = line end
    h.close()
  end
end
if #lines == 0 then lines[1] = "" end

local width, height = term.getSize()
local x, y = 1, 1            -- cursor, in the text (1-based)
local scroll_x, scroll_y = 0, 0
local menu = false
local menu_items = {}
-- The menu, as CC's: Save (not for a read-only file), Run, Print (while a
-- printer is attached), Exit. Made when the menu opens.
local function menu_entries()
  local items = {}
  if not readonly then items[#items + 1] = "Save" end
  items[#items + 1] = "Run"
  if peripheral.find("printer") then items[#items + 1] = "Print" end
  items[#items + 1] = "Exit"
  return items
end
local menu_index = 1
local idle_status = readonly and "Read only. Press Ctrl for menu" or "Press Ctrl for menu"
local status = idle_status
local running = true
local ctrl_down = false
local modified = false

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch("%a+") do keywords[w] = true end

-- Draws one text line with light Lua highlighting.
local function draw_line(screen_y)
  local line = lines[scroll_y + screen_y]
  term.setCursorPos(1 - scroll_x, screen_y)
  term.setBackgroundColour(colors.black)
  term.clearLine()
  if not line then return end
  local i = 1
  while i <= #line do
    local s, e = line:find("^%-%-.*", i)
    local colour = colors.white
    if s then colour = colors.green
    else
      s, e = line:find('^"[^"]*"?', i)
      if not s then s, e = line:find("^'[^']*'?", i) end
      if s then colour = colors.red
      else
        s, e = line:find("^[%a_][%w_]*", i)
        if s then colour = keywords[line:sub(s, e)] and colors.yellow or colors.white
        else s, e = i, i end
      end
    end
    term.setTextColour(colour)
    term.write(line:sub(s, e))
    i = e + 1
  end
end

local function draw_status()
  term.setCursorPos(1, height)
  term.setBackgroundColour(colors.gray)
  term.clearLine()
  if menu then
    for i, item in ipairs(menu_items) do
      term.setTextColour(i == menu_index and colors.yellow or colors.white)
      term.write(i == menu_index and ("[" .. item .. "]") or (" " .. item .. " "))
    end
  else
    term.setTextColour(colors.yellow)
    term.write(status)
    local pos = ("Ln %d, Col %d"):format(y, x)
    term.setCursorPos(width - #pos + 1, height)
    term.write(pos)
  end
  term.setBackgroundColour(colors.black)
end

local function place_cursor()
  term.setTextColour(colors.white)
  term.setCursorPos(x - scroll_x, y - scroll_y)
  term.setCursorBlink(not menu)
end

local function redraw()
  for sy = 1, height - 1 do draw_line(sy) end
  draw_status()
  place_cursor()
end

-- Keeps the cursor on screen; redraws everything if it had to scroll.
local function follow()
  local moved = false
  if x - scroll_x < 1 then scroll_x = x - 1; moved = true end
  if x - scroll_x > width then scroll_x = x - width; moved = true end
  if y - scroll_y < 1 then scroll_y = y - 1; moved = true end
  if y - scroll_y > height - 1 then scroll_y = y - (height - 1); moved = true end
  if moved then redraw() else draw_status(); place_cursor() end
end

local function save()
  if readonly then status = "Cannot save a read-only file"; return false end
  local dir = fs.getDir(path)
  if dir ~= "" and dir ~= "/" and not fs.exists(dir) then fs.makeDir(dir) end
  local h, err = fs.open(path, "w")
  if not h then status = "Error saving: " .. tostring(err); return false end
  for i, line in ipairs(lines) do
    h.write(line)
    if i < #lines then h.write("\n") end
  end
  h.write("\n")
  h.close()
  modified = false
  status = "Saved to " .. path
  return true
end

-- Prints the file on an attached printer: pages of the printer's size,
-- long lines continued on the next row, titled with the file's name.
local function print_file()
  local printer = peripheral.find("printer")
  if not printer then status = "No printer attached" return end
  if printer.getInkLevel() < 1 then status = "Printer out of ink" return end
  if printer.getPaperLevel() < 1 then status = "Printer out of paper" return end
  local name = fs.getName(path)
  local pages, row, page_w, page_h = 0, 1, 0, 0
  local function next_page()
    if pages > 0 then printer.endPage() end
    if not printer.newPage() then return false end
    pages = pages + 1
    printer.setPageTitle(pages > 1 and (name .. " (page " .. pages .. ")") or name)
    page_w, page_h = printer.getPageSize()
    row = 1
    return true
  end
  if not next_page() then status = "Printer output tray full, please empty" return end
  for _, line in ipairs(lines) do
    repeat
      if row > page_h and not next_page() then
        status = "Printer output tray full, please empty"
        return
      end
      printer.setCursorPos(1, row)
      printer.write(line:sub(1, page_w))
      line = line:sub(page_w + 1)
      row = row + 1
    until line == ""
  end
  printer.endPage()
  status = "Printed " .. pages .. " Pages"
end

local function choose(item)
  menu = false  -- (the status line shows what follows, not the menu)
  if item == "Save" then save()
  elseif item == "Exit" then running = false
  elseif item == "Print" then print_file()
  elseif item == "Run" then
    if not (readonly or save()) then  -- a read-only file runs as it is
      return
    end
    if shell.openTab then
      -- in multishell, as CC's: the program in a tab of its own, in front
      local tab = shell.openTab("/" .. shell.resolve(path))
      if tab then shell.switchTab(tab) else status = "Error starting Task" end
    else
      -- without it: the program as a process of its own on this terminal,
      -- in front from its first instruction (it may end before a separate
      -- setforeground could run)
      local pid = process.start({ path = path, foreground = true })
      if pid then
        process.wait(pid)
        process.setforeground(process.getpid())
        status = "Program ended. Press any key"
        draw_status()
        os.pullEvent("key")
        require("cc.internal.event").discard_char()  -- the key's char is not typed into the file
        status = idle_status
      end
    end
  end
  menu = false
end

local function insert(text)
  local line = lines[y]
  lines[y] = line:sub(1, x - 1) .. text .. line:sub(x)
  x = x + #text
  modified = true
  draw_line(y - scroll_y)
  follow()
end

term.clear()
redraw()
while running do
  local event, a = os.pullEvent()
  if event == "key" then
    if a == keys.leftCtrl or a == keys.rightCtrl then
      ctrl_down = true
      menu = not menu
      if menu then
        menu_items = menu_entries()
        menu_index = math.min(menu_index, #menu_items)
      end
      draw_status(); place_cursor()
    elseif menu then
      if a == keys.left then menu_index = (menu_index - 2) % #menu_items + 1
      elseif a == keys.right then menu_index = menu_index % #menu_items + 1
      elseif a == keys.enter then choose(menu_items[menu_index]); redraw() end
      draw_status(); place_cursor()
    elseif ctrl_down and a == keys.s then
      save(); draw_status(); place_cursor()
    elseif ctrl_down and a == keys.q then
      running = false
    elseif a == keys.up and y > 1 then y = y - 1; x = math.min(x, #lines[y] + 1); follow()
    elseif a == keys.down and y < #lines then y = y + 1; x = math.min(x, #lines[y] + 1); follow()
    elseif a == keys.left then
      if x > 1 then x = x - 1 elseif y > 1 then y = y - 1; x = #lines[y] + 1 end
      follow()
    elseif a == keys.right then
      if x <= #lines[y] then x = x + 1 elseif y < #lines then y = y + 1; x = 1 end
      follow()
    elseif a == keys.home then x = 1; follow()
    elseif a == keys["end"] then x = #lines[y] + 1; follow()
    elseif a == keys.pageUp then y = math.max(1, y - (height - 1)); x = math.min(x, #lines[y] + 1); follow()
    elseif a == keys.pageDown then y = math.min(#lines, y + (height - 1)); x = math.min(x, #lines[y] + 1); follow()
    elseif a == keys.tab then insert("  ")
    elseif a == keys.enter then
      local line = lines[y]
      local indent = line:match("^%s*")
      lines[y] = line:sub(1, x - 1)
      table.insert(lines, y + 1, indent .. line:sub(x))
      y, x = y + 1, #indent + 1
      modified = true
      redraw(); follow()
    elseif a == keys.backspace then
      if x > 1 then
        local line = lines[y]
        lines[y] = line:sub(1, x - 2) .. line:sub(x)
        x = x - 1
        draw_line(y - scroll_y); follow()
      elseif y > 1 then
        x = #lines[y - 1] + 1
        lines[y - 1] = lines[y - 1] .. table.remove(lines, y)
        y = y - 1
        redraw(); follow()
      end
      modified = true
    elseif a == keys.delete then
      local line = lines[y]
      if x <= #line then
        lines[y] = line:sub(1, x - 1) .. line:sub(x + 1)
        draw_line(y - scroll_y)
      elseif y < #lines then
        lines[y] = line .. table.remove(lines, y + 1)
        redraw()
      end
      modified = true
      follow()
    end
  elseif event == "key_up" and (a == keys.leftCtrl or a == keys.rightCtrl) then
    ctrl_down = false
  elseif event == "char" and not menu then
    insert(a)
  elseif event == "paste" and not menu then
    insert(a)
  elseif event == "term_resize" then
    width, height = term.getSize()
    redraw()
  end
end

term.setBackgroundColour(colors.black)
term.setTextColour(colors.white)
term.clear()
term.setCursorPos(1, 1)
