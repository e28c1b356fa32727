-- window: CC's terminal windows. A window is a terminal object that keeps
-- its own text, colours and cursor in a buffer and draws into its parent
-- (another terminal object) while it is visible. Windows live in the
-- process that made them.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local window = {}

local hex = "0123456789abcdef"

-- Colour -> blit digit, CC's rules: out of 1..0xffff is an error, otherwise
-- the highest bit counts (combined colours are allowed).
local function colour_digit(colour)
  if colour < 1 or colour > 0xffff or colour ~= colour then error("Colour out of range", 3) end
  local i = math.floor(math.log(colour, 2) + 1e-9)
  return hex:sub(i + 1, i + 1), 1 << i
end

function window.create(parent, x, y, width, height, visible)
  expect(1, parent, "table")
  expect(2, x, "number")
  expect(3, y, "number")
  expect(4, width, "number")
  expect(5, height, "number")
  expect(6, visible, "boolean", "nil")
  if parent == term then error("term is not a recommended window parent, try term.current() instead", 2) end

  local visible_now = visible ~= false
  local cursor_x, cursor_y, blink = 1, 1, false
  local text_colour, bg_colour = "0", "f"
  local text, fg, bg = {}, {}, {}
  local palette = {}
  for i = 0, 15 do palette[i] = {parent.getPaletteColour(1 << i)} end
  width, height = math.floor(width), math.floor(height)

  local function blank_line(w) return (" "):rep(w), text_colour:rep(w), bg_colour:rep(w) end
  for row = 1, height do text[row], fg[row], bg[row] = (" "):rep(width), ("0"):rep(width), bg_colour:rep(width) end

  local win = {}

  local function update_cursor()
    if cursor_x >= 1 and cursor_y >= 1 and cursor_x <= width and cursor_y <= height then
      parent.setCursorPos(x + cursor_x - 1, y + cursor_y - 1)
    else
      parent.setCursorPos(0, 0)
    end
    parent.setTextColour(1 << tonumber(text_colour, 16))
  end

  local function update_blink() parent.setCursorBlink(blink) end

  local function update_palette()
    for i = 0, 15 do parent.setPaletteColour(1 << i, table.unpack(palette[i])) end
  end

  local function redraw_line(row)
    parent.setCursorPos(x, y + row - 1)
    parent.blit(text[row], fg[row], bg[row])
  end

  local function redraw_all()
    for row = 1, height do redraw_line(row) end
  end

  local function write_at(s, f, b)
    local n = #s
    if cursor_y >= 1 and cursor_y <= height and n > 0 then
      local start = cursor_x
      local stop = start + n - 1
      if start <= width and stop >= 1 then
        local cut_left = start < 1 and 1 - start or 0
        local cut_right = stop > width and stop - width or 0
        s = s:sub(1 + cut_left, n - cut_right)
        f = f:sub(1 + cut_left, n - cut_right)
        b = b:sub(1 + cut_left, n - cut_right)
        local from = math.max(start, 1)
        local row = cursor_y
        text[row] = text[row]:sub(1, from - 1) .. s .. text[row]:sub(from + #s)
        fg[row] = fg[row]:sub(1, from - 1) .. f .. fg[row]:sub(from + #f)
        bg[row] = bg[row]:sub(1, from - 1) .. b .. bg[row]:sub(from + #b)
        if visible_now then redraw_line(row) end
      end
    end
    cursor_x = cursor_x + n
    if visible_now then update_cursor() end
  end

  function win.write(s)
    s = tostring(s)
    write_at(s, text_colour:rep(#s), bg_colour:rep(#s))
  end

  function win.blit(s, f, b)
    if type(s) ~= "string" then expect(1, s, "string") end
    if type(f) ~= "string" then expect(2, f, "string") end
    if type(b) ~= "string" then expect(3, b, "string") end
    if #f ~= #s or #b ~= #s then error("Arguments must be the same length", 2) end
    write_at(s, f:lower(), b:lower())
  end

  function win.clear()
    for row = 1, height do text[row], fg[row], bg[row] = blank_line(width) end
    if visible_now then
      redraw_all()
      update_cursor()
    end
  end

  function win.clearLine()
    if cursor_y >= 1 and cursor_y <= height then
      text[cursor_y], fg[cursor_y], bg[cursor_y] = blank_line(width)
      if visible_now then
        redraw_line(cursor_y)
        update_cursor()
      end
    end
  end

  function win.getCursorPos() return cursor_x, cursor_y end

  function win.setCursorPos(cx, cy)
    expect(1, cx, "number")
    expect(2, cy, "number")
    cursor_x, cursor_y = math.floor(cx), math.floor(cy)
    if visible_now then update_cursor() end
  end

  function win.setCursorBlink(on)
    expect(1, on, "boolean")
    blink = on
    if visible_now then update_blink() end
  end

  function win.getCursorBlink() return blink end

  local function is_colour() return parent.isColour() end
  win.isColour, win.isColor = is_colour, is_colour

  local function set_text_colour(colour)
    expect(1, colour, "number")
    text_colour = colour_digit(colour)
    if visible_now then update_cursor() end
  end
  win.setTextColour, win.setTextColor = set_text_colour, set_text_colour

  local function set_background_colour(colour)
    expect(1, colour, "number")
    bg_colour = colour_digit(colour)
  end
  win.setBackgroundColour, win.setBackgroundColor = set_background_colour, set_background_colour

  local function get_text_colour() return 1 << tonumber(text_colour, 16) end
  win.getTextColour, win.getTextColor = get_text_colour, get_text_colour
  local function get_background_colour() return 1 << tonumber(bg_colour, 16) end
  win.getBackgroundColour, win.getBackgroundColor = get_background_colour, get_background_colour

  local function set_palette_colour(colour, r, g, b)
    expect(1, colour, "number")
    local digit = colour_digit(colour)
    local i = tonumber(digit, 16)
    if type(r) == "number" and g == nil and b == nil then
      palette[i] = {colours.unpackRGB(r)}
    else
      expect(2, r, "number")
      expect(3, g, "number")
      expect(4, b, "number")
      palette[i] = {r, g, b}
    end
    if visible_now then parent.setPaletteColour(1 << i, table.unpack(palette[i])) end
  end
  win.setPaletteColour, win.setPaletteColor = set_palette_colour, set_palette_colour

  local function get_palette_colour(colour)
    expect(1, colour, "number")
    local i = tonumber((colour_digit(colour)), 16)
    return table.unpack(palette[i])
  end
  win.getPaletteColour, win.getPaletteColor = get_palette_colour, get_palette_colour

  function win.getSize() return width, height end

  function win.scroll(n)
    expect(1, n, "number")
    n = math.floor(n)
    if n ~= 0 then
      local nt, nf, nb = {}, {}, {}
      for row = 1, height do
        local from = row + n
        if from >= 1 and from <= height then
          nt[row], nf[row], nb[row] = text[from], fg[from], bg[from]
        else
          nt[row], nf[row], nb[row] = blank_line(width)
        end
      end
      text, fg, bg = nt, nf, nb
      if visible_now then
        redraw_all()
        update_cursor()
      end
    end
  end

  function win.getLine(row)
    expect(1, row, "number")
    if row < 1 or row > height then error("Line is out of range.", 2) end
    row = math.floor(row)
    return text[row], fg[row], bg[row]
  end

  function win.setVisible(on)
    expect(1, on, "boolean")
    if visible_now ~= on then
      visible_now = on
      if on then win.redraw() end
    end
  end

  function win.isVisible() return visible_now end

  function win.redraw()
    if visible_now then
      redraw_all()
      update_palette()
      update_blink()
      update_cursor()
    end
  end

  function win.restoreCursor()
    if visible_now then
      update_blink()
      update_cursor()
    end
  end

  function win.getPosition() return x, y end

  function win.reposition(nx, ny, nw, nh, new_parent)
    expect(1, nx, "number")
    expect(2, ny, "number")
    expect(3, nw, "number", "nil")
    expect(4, nh, "number", "nil")
    expect(5, new_parent, "table", "nil")
    if nw ~= nil or nh ~= nil then
      expect(3, nw, "number")
      expect(4, nh, "number")
    end
    x, y = math.floor(nx), math.floor(ny)
    if new_parent then parent = new_parent end
    if nw and nh then
      nw, nh = math.floor(nw), math.floor(nh)
      for row = 1, nh do
        local t, f, b = text[row], fg[row], bg[row]
        if not t then
          t, f, b = blank_line(nw)
        elseif nw > width then
          local extra = nw - width
          t, f, b = t .. (" "):rep(extra), f .. text_colour:rep(extra), b .. bg_colour:rep(extra)
        else
          t, f, b = t:sub(1, nw), f:sub(1, nw), b:sub(1, nw)
        end
        text[row], fg[row], bg[row] = t, f, b
      end
      for row = nh + 1, height do text[row], fg[row], bg[row] = nil, nil, nil end
      width, height = nw, nh
    end
    if visible_now then win.redraw() end
  end

  if visible_now then win.redraw() end
  return win
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(window) do _ENV[k] = v end end
return window
