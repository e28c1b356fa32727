-- paintutils: CC's drawing helpers (pixels, lines, boxes, images) over the
-- current terminal.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local paintutils = {}

local function draw_pixel(x, y)
  term.setCursorPos(x, y)
  term.write(" ")
end

-- An argument check made by a helper on its API function's behalf: raised
-- at that function's caller, naming no function (the helper's name would
-- mislead), as CC's "bad argument #4 (number expected, got nil)".
local function check_arg(n, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return end
  end
  error(("bad argument #%d (%s expected, got %s)"):format(n, table.concat({...}, " or "), t), 4)
end

-- The checks and set-up of drawLine, drawBox and drawFilledBox.
local function check_corners(x1, y1, x2, y2, colour)
  check_arg(1, x1, "number")
  check_arg(2, y1, "number")
  check_arg(3, x2, "number")
  check_arg(4, y2, "number")
  check_arg(5, colour, "number", "nil")
  if colour then term.setBackgroundColor(colour) end
  return math.floor(x1), math.floor(y1), math.floor(x2), math.floor(y2)
end

local function sort_coords(a, b, c, d)
  if a > c then a, c = c, a end
  if b > d then b, d = d, b end
  return a, b, c, d
end

function paintutils.parseImage(image)
  expect(1, image, "string")
  local result = {}
  for line in (image .. "\n"):gmatch("(.-)\n") do
    local row = {}
    for i = 1, #line do
      local c = line:sub(i, i)
      row[i] = tonumber(c, 16) and 1 << tonumber(c, 16) or 0
    end
    result[#result + 1] = row
  end
  return result
end

function paintutils.loadImage(path)
  expect(1, path, "string")
  if not fs.exists(path) then return nil end
  local file = fs.open(path, "r")
  local text = file.readAll()
  file.close()
  return paintutils.parseImage(text)
end

function paintutils.drawPixel(x, y, colour)
  expect(1, x, "number")
  expect(2, y, "number")
  expect(3, colour, "number", "nil")
  if colour then term.setBackgroundColor(colour) end
  return draw_pixel(x, y)
end

function paintutils.drawLine(x1, y1, x2, y2, colour)
  x1, y1, x2, y2 = check_corners(x1, y1, x2, y2, colour)
  if x1 == x2 and y1 == y2 then return draw_pixel(x1, y1) end
  local min_x = math.min(x1, x2)
  local max_x, min_y, max_y
  if min_x == x1 then min_y, max_x, max_y = y1, x2, y2
  else min_y, max_x, max_y = y2, x1, y1 end
  local dx, dy = max_x - min_x, max_y - min_y
  if dx > math.abs(dy) then
    local y = min_y
    local step = dy / dx
    for x = min_x, max_x do
      draw_pixel(x, math.floor(y + 0.5))
      y = y + step
    end
  else
    local x = min_x
    local step = dx / math.abs(dy)
    if max_y >= min_y then
      for y = min_y, max_y do
        draw_pixel(math.floor(x + 0.5), y)
        x = x + step
      end
    else
      for y = min_y, max_y, -1 do
        draw_pixel(math.floor(x + 0.5), y)
        x = x + step
      end
    end
  end
end

function paintutils.drawBox(x1, y1, x2, y2, colour)
  x1, y1, x2, y2 = check_corners(x1, y1, x2, y2, colour)
  if x1 == x2 and y1 == y2 then return draw_pixel(x1, y1) end
  local min_x, min_y, max_x, max_y = sort_coords(x1, y1, x2, y2)
  local width = max_x - min_x + 1
  -- As CC's: blitted in the colour for both text and background.
  local hex = colors.toBlit(term.getBackgroundColour())
  local function run(x, y, n)
    term.setCursorPos(x, y)
    term.blit((" "):rep(n), hex:rep(n), hex:rep(n))
  end
  run(min_x, min_y, width)
  if max_y > min_y then run(min_x, max_y, width) end
  for y = min_y + 1, max_y - 1 do
    run(min_x, y, 1)
    if max_x > min_x then run(max_x, y, 1) end
  end
end

function paintutils.drawFilledBox(x1, y1, x2, y2, colour)
  x1, y1, x2, y2 = check_corners(x1, y1, x2, y2, colour)
  local min_x, min_y, max_x, max_y = sort_coords(x1, y1, x2, y2)
  local width = max_x - min_x + 1
  local hex = colors.toBlit(term.getBackgroundColour()):rep(width)
  local line = (" "):rep(width)
  for y = min_y, max_y do
    term.setCursorPos(min_x, y)
    term.blit(line, hex, hex)
  end
end

function paintutils.drawImage(image, x, y)
  expect(1, image, "table")
  expect(2, x, "number")
  expect(3, y, "number")
  for row, line in ipairs(image) do
    for col, colour in pairs(line) do
      if colour > 0 then
        term.setBackgroundColor(colour)
        draw_pixel(x + col - 1, y + row - 1)
      end
    end
  end
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(paintutils) do _ENV[k] = v end end
return paintutils
