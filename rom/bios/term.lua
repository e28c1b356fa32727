-- term: the terminal API as programs see it; it forwards each call to the
-- current redirect target (term.redirect / current / native), as CC's does.
-- The native terminal (C, vm/lib/LibTerm.cpp) is the argument.
local native = ...
local current = native
local redirecting = {}
local expect = require("cc.expect").expect

-- print, write and printError: the C ones (vm/lib/LibBase.cpp) write to the
-- computer's console (the screen, or stdout when headless) while the native
-- terminal is current; on a redirect to anything else, CC's versions below
-- write through term.current() with CC's word wrapping.
local native_print, native_write, native_printError = print, write, printError

local function lua_write(text)
  expect(1, text, "string", "number")
  local w, h = redirecting.getSize()
  local x, y = redirecting.getCursorPos()
  local lines = 0
  local function new_line()
    if y + 1 <= h then
      redirecting.setCursorPos(1, y + 1)
    else
      redirecting.setCursorPos(1, h)
      redirecting.scroll(1)
    end
    x, y = redirecting.getCursorPos()
    lines = lines + 1
  end
  text = tostring(text)
  while #text > 0 do
    local space = text:match("^[ \t]+")
    if space then
      redirecting.write(space)
      x, y = redirecting.getCursorPos()
      text = text:sub(#space + 1)
    end
    if text:sub(1, 1) == "\n" then
      new_line()
      text = text:sub(2)
    end
    local word = text:match("^[^ \t\n]+")
    if word then
      text = text:sub(#word + 1)
      if #word > w then
        while #word > 0 do
          if x > w then new_line() end
          redirecting.write(word)
          word = word:sub(w - x + 2)
          x, y = redirecting.getCursorPos()
        end
      else
        if x + #word - 1 > w then new_line() end
        redirecting.write(word)
        x, y = redirecting.getCursorPos()
      end
    end
  end
  return lines
end

local function lua_print(...)
  local lines = 0
  local n = select("#", ...)
  for i = 1, n do
    local s = tostring(select(i, ...))
    if i < n then s = s .. "\t" end
    lines = lines + lua_write(s)
  end
  return lines + lua_write("\n")
end

local function lua_printError(...)
  local old
  if redirecting.isColour() then
    old = redirecting.getTextColour()
    redirecting.setTextColour(0x4000)  -- colors.red
  end
  lua_print(...)
  if old then redirecting.setTextColour(old) end
end
for name, fn in pairs(native) do
  redirecting[name] = function(...) return current[name](...) end
end
function redirecting.redirect(target)
  require("cc.expect").expect(1, target, "table")
  if target == redirecting or target == _G.term then
    error("term is not a recommended redirect target, try term.current() instead", 2)
  end
  for name, fn in pairs(native) do
    if type(fn) == "function" and type(target[name]) ~= "function" then
      target[name] = function() error("Redirect object is missing method " .. name .. ".", 2) end
    end
  end
  local old = current
  current = target
  if target == native then
    print, write, printError = native_print, native_write, native_printError
  else
    print, write, printError = lua_print, lua_write, lua_printError
  end
  return old
end
function redirecting.current() return current end
function redirecting.native() return native end
return redirecting
