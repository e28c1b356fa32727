-- paint <path>: draws .nfp images, as CC's paint. Left click paints with the
-- left colour, right click with the right one; click the palette on the
-- right to choose them. Ctrl opens the menu (Save, Exit).
local args = {...}
if #args < 1 then
  print("Usage: paint <path>")
  return
end
local path = shell.resolve(args[1])
if not fs.exists(path) and not path:find("%.") then
  local ext = settings.get("paint.default_extension")
  if ext and ext ~= "" then path = path .. "." .. ext end
end
if fs.exists(path) and fs.isDir(path) then
  print("Cannot edit a directory.")
  return
end
if not term.isColour() then
  print("Requires an Advanced Computer")
  return
end

local w, h = term.getSize()
local canvas = {}   -- canvas[y][x] = colour or nil (transparent)
local left, right = colors.white, colors.black
local status = "Press Ctrl to access menu"
local menu, menu_item = false, 1
local running = true

local function load_image()
  if not fs.exists(path) then return end
  local image = paintutils.loadImage(path)
  for y, row in ipairs(image or {}) do
    canvas[y] = {}
    for x, colour in pairs(row) do
      if colour > 0 then canvas[y][x] = colour end
    end
  end
end

local function save_image()
  local lines, last = {}, 0
  for y = 1, h - 1 do
    local row = canvas[y] or {}
    local width = 0
    for x in pairs(row) do width = math.max(width, x) end
    local chars = {}
    for x = 1, width do chars[x] = row[x] and colors.toBlit(row[x]) or " " end
    lines[y] = table.concat(chars)
    if width > 0 then last = y end
  end
  local file = fs.open(path, "w")
  if not file then return false end
  file.write(table.concat(lines, "\n", 1, last))
  file.close()
  return true
end

local function draw_canvas_cell(x, y)
  local colour = canvas[y] and canvas[y][x]
  term.setCursorPos(x, y)
  if colour then
    term.setBackgroundColour(colour)
    term.write(" ")
  else
    term.setBackgroundColour(colors.black)
    term.setTextColour(colors.gray)
    term.write("\127")
  end
end

local function draw_palette()
  for i = 0, 15 do
    term.setCursorPos(w - 1, i + 1)
    term.setBackgroundColour(1 << i)
    term.write("  ")
  end
  term.setCursorPos(w - 1, 17)
  term.setBackgroundColour(left)
  term.write(" ")
  term.setBackgroundColour(right)
  term.write(" ")
end

local function draw_status()
  term.setCursorPos(1, h)
  term.setBackgroundColour(colors.black)
  term.setTextColour(colors.yellow)
  term.clearLine()
  if menu then
    for i, item in ipairs({"Save", "Exit"}) do
      term.write(i == menu_item and "[" .. item .. "]" or " " .. item .. " ")
    end
  else
    term.write(status)
  end
end

local function draw_all()
  for y = 1, h - 1 do
    for x = 1, w - 2 do draw_canvas_cell(x, y) end
  end
  draw_palette()
  draw_status()
end

local function paint_at(x, y, colour)
  if x < 1 or x > w - 2 or y < 1 or y > h - 1 then return end
  canvas[y] = canvas[y] or {}
  canvas[y][x] = colour
  draw_canvas_cell(x, y)
end

load_image()
draw_all()
while running do
  local event, a, b, c = os.pullEvent()
  if event == "mouse_click" or event == "mouse_drag" then
    if b >= w - 1 and c <= 16 then
      if event == "mouse_click" then
        if a == 1 then left = 1 << (c - 1) else right = 1 << (c - 1) end
        draw_palette()
      end
    else
      paint_at(b, c, a == 1 and left or right)
    end
  elseif event == "key" then
    if a == keys.leftCtrl or a == keys.rightCtrl then
      menu = not menu
      menu_item = 1
      draw_status()
    elseif menu and (a == keys.left or a == keys.right) then
      menu_item = menu_item == 1 and 2 or 1
      draw_status()
    elseif menu and a == keys.enter then
      menu = false
      if menu_item == 1 then
        status = save_image() and ("Saved to " .. path) or "Error saving to " .. path
      else
        running = false
      end
      draw_status()
    end
  elseif event == "term_resize" then
    w, h = term.getSize()
    draw_all()
  end
end
term.setBackgroundColour(colors.black)
term.setTextColour(colors.white)
term.clear()
term.setCursorPos(1, 1)
