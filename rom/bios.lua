-- bios.lua: runs in every process, before its program, and adds the parts of
-- the ComputerCraft environment that are plain Lua: colors/colours, keys,
-- term.redirect, read, and a CC-style io. The C side (vm/lib) gives print,
-- write, printError, sleep, os, fs, term (native), system.ipc and
-- system.process.

-- colors / colours -------------------------------------------------------------
local colors = {
  white = 0x1, orange = 0x2, magenta = 0x4, lightBlue = 0x8,
  yellow = 0x10, lime = 0x20, pink = 0x40, gray = 0x80,
  lightGray = 0x100, cyan = 0x200, purple = 0x400, blue = 0x800,
  brown = 0x1000, green = 0x2000, red = 0x4000, black = 0x8000,
}

function colors.combine(...)
  local r = 0
  for i = 1, select("#", ...) do r = r | select(i, ...) end
  return r
end

function colors.subtract(set, ...)
  for i = 1, select("#", ...) do set = set & ~select(i, ...) end
  return set
end

function colors.test(set, colour) return set & colour == colour end

function colors.packRGB(r, g, b)
  return (math.floor(r * 255) << 16) | (math.floor(g * 255) << 8) | math.floor(b * 255)
end

function colors.unpackRGB(rgb)
  return ((rgb >> 16) & 0xFF) / 255, ((rgb >> 8) & 0xFF) / 255, (rgb & 0xFF) / 255
end

local blit_digits = "0123456789abcdef"
function colors.toBlit(colour)
  for i = 0, 15 do
    if colour == 1 << i then return blit_digits:sub(i + 1, i + 1) end
  end
  error("bad argument #1 to 'toBlit' (invalid colour)", 2)
end

function colors.fromBlit(hex)
  local i = blit_digits:find(hex:lower(), 1, true)
  return i and #hex == 1 and 1 << (i - 1) or nil
end

local colours = {}
for k, v in pairs(colors) do colours[k] = v end
colours.grey, colours.lightGrey = colors.gray, colors.lightGray
_G.colors, _G.colours = colors, colours

-- keys (CC:Tweaked's codes, which are GLFW's) -------------------------------
local keys = {
  space = 32, apostrophe = 39, comma = 44, minus = 45, period = 46, slash = 47,
  semicolon = 59, equals = 61, leftBracket = 91, backslash = 92, rightBracket = 93, grave = 96,
  enter = 257, tab = 258, backspace = 259, insert = 260, delete = 261,
  right = 262, left = 263, down = 264, up = 265, pageUp = 266, pageDown = 267,
  home = 268, ["end"] = 269, capsLock = 280, scrollLock = 281, numLock = 282,
  printScreen = 283, pause = 284,
  numPadDecimal = 330, numPadDivide = 331, numPadMultiply = 332, numPadSubtract = 333,
  numPadAdd = 334, numPadEnter = 335, numPadEqual = 336,
  leftShift = 340, leftCtrl = 341, leftAlt = 342, leftSuper = 343,
  rightShift = 344, rightCtrl = 345, rightAlt = 346, rightSuper = 347, menu = 348,
}
local digit_names = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
for i = 0, 9 do keys[digit_names[i + 1]] = 48 + i; keys["numPad" .. i] = 320 + i end
for c = string.byte("a"), string.byte("z") do keys[string.char(c)] = c - 32 end
for i = 1, 25 do keys["f" .. i] = 289 + i end
keys["return"] = keys.enter
function keys.getName(code)
  for name, value in pairs(keys) do
    if value == code and type(value) == "number" and name ~= "return" then return name end
  end
  return nil
end
_G.keys = keys

-- term.redirect ------------------------------------------------------------------
local native = term
local current = native
local redirecting = {}
for name, fn in pairs(native) do
  redirecting[name] = function(...) return current[name](...) end
end
function redirecting.redirect(target)
  if type(target) ~= "table" then
    error("bad argument #1 to 'redirect' (table expected, got " .. type(target) .. ")", 2)
  end
  local old = current
  current = target
  return old
end
function redirecting.current() return current end
function redirecting.native() return native end
_G.term = redirecting

-- read -----------------------------------------------------------------------
-- read(replaceChar, history, completeFn, default): a line editor with
-- history (up/down), completion (tab; completeFn(text) gives suffixes) and
-- the usual keys. A background process that reads gets SIGTTIN.
function _G.read(replace, history, complete, default)
  local process = require("system.process")
  if process.getforeground() ~= process.getpid() then
    local ipc = require("system.ipc")
    ipc.kill(process.getpid(), ipc.signal.SIGTTIN)
  end
  local line = default or ""
  local pos = #line
  local hist_index
  local start_x, start_y = term.getCursorPos()
  local width = term.getSize()
  local completions, completion_index

  local function refresh_completions()
    completions, completion_index = nil, nil
    if complete and pos == #line then
      completions = complete(line)
      if completions and #completions > 0 then completion_index = 1 else completions = nil end
    end
  end

  local function redraw(clear)
    local scroll = math.max(0, start_x + pos - width)
    term.setCursorPos(start_x, start_y)
    local shown = replace and string.rep(replace:sub(1, 1), #line) or line
    local text = shown:sub(scroll + 1)
    term.write(clear and string.rep(" ", #text + 20) or text)
    if not clear and completion_index then
      local fg = term.getTextColour()
      term.setTextColour(colors.gray)
      term.write(completions[completion_index])
      term.setTextColour(fg)
    elseif not clear then
      term.write(string.rep(" ", 20))
    end
    term.setCursorPos(start_x + pos - scroll, start_y)
  end

  term.setCursorBlink(true)
  refresh_completions()
  redraw()
  while true do
    local event, a = os.pullEvent()
    if event == "char" then
      line = line:sub(1, pos) .. a .. line:sub(pos + 1)
      pos = pos + 1
      refresh_completions()
      redraw()
    elseif event == "paste" then
      line = line:sub(1, pos) .. a .. line:sub(pos + 1)
      pos = pos + #a
      refresh_completions()
      redraw()
    elseif event == "key" then
      if a == keys.enter or a == keys.numPadEnter then
        if completion_index then redraw(true); completion_index = nil; redraw() end
        break
      elseif a == keys.left and pos > 0 then
        pos = pos - 1
        refresh_completions(); redraw()
      elseif a == keys.right then
        if pos < #line then pos = pos + 1; refresh_completions(); redraw()
        elseif completion_index then
          redraw(true)
          line = line .. completions[completion_index]
          pos = #line
          refresh_completions(); redraw()
        end
      elseif a == keys.tab and completion_index then
        redraw(true)
        line = line .. completions[completion_index]
        pos = #line
        refresh_completions(); redraw()
      elseif (a == keys.up or a == keys.down) and completion_index then
        redraw(true)
        completion_index = (completion_index + (a == keys.up and -2 or 0)) % #completions + 1
        redraw()
      elseif (a == keys.up or a == keys.down) and history and #history > 0 then
        redraw(true)
        if a == keys.up then
          hist_index = hist_index and math.max(1, hist_index - 1) or #history
        elseif hist_index then
          hist_index = hist_index < #history and hist_index + 1 or nil
        end
        line = hist_index and history[hist_index] or ""
        pos = #line
        refresh_completions(); redraw()
      elseif a == keys.backspace and pos > 0 then
        redraw(true)
        line = line:sub(1, pos - 1) .. line:sub(pos + 1)
        pos = pos - 1
        refresh_completions(); redraw()
      elseif a == keys.delete and pos < #line then
        redraw(true)
        line = line:sub(1, pos) .. line:sub(pos + 2)
        refresh_completions(); redraw()
      elseif a == keys.home then
        pos = 0; refresh_completions(); redraw()
      elseif a == keys["end"] then
        pos = #line; refresh_completions(); redraw()
      end
    elseif event == "term_resize" then
      width = term.getSize()
      redraw()
    end
  end
  term.setCursorBlink(false)
  local _, y = term.getCursorPos()
  local _, height = term.getSize()
  if y >= height then
    term.scroll(1)
    term.setCursorPos(1, height)
  else
    term.setCursorPos(1, y + 1)
  end
  return line
end

-- io: a CC-style io over fs -------------------------------------------------------
local function wrap_handle(h, mode)
  local file = {}
  function file:read(fmt)
    fmt = fmt or "l"
    if type(fmt) == "string" then fmt = fmt:gsub("^%*", "") end
    if fmt == "l" then return h.readLine()
    elseif fmt == "L" then return h.readLine(true)
    elseif fmt == "a" then return h.readAll() or ""
    elseif type(fmt) == "number" then return h.read(fmt)
    end
    error("bad argument #1 to 'read' (invalid format)", 2)
  end
  function file:lines(fmt) return function() return self:read(fmt) end end
  function file:write(...)
    for i = 1, select("#", ...) do h.write(tostring(select(i, ...))) end
    return self
  end
  function file:seek(whence, offset) return h.seek(whence, offset) end
  function file:flush() if h.flush then h.flush() end end
  function file:close() h.close(); return true end
  return file
end

_G.io = {
  open = function(path, mode)
    local h, err = fs.open(path, (mode or "r"):gsub("%+", ""))
    if not h then return nil, err end
    return wrap_handle(h, mode)
  end,
  write = function(...)
    for i = 1, select("#", ...) do write(tostring(select(i, ...))) end
  end,
  read = function(fmt)
    if fmt == nil or fmt == "l" or fmt == "*l" then return read() end
    error("bad argument #1 to 'read' (only line reads from the terminal)", 2)
  end,
  lines = function(path)
    if path == nil then return function() return read() end end
    local f = assert(io.open(path, "r"))
    return function()
      local l = f:read("l")
      if l == nil then f:close() end
      return l
    end
  end,
}
