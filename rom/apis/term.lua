-- term's print, write and printError for a redirected terminal: CC's, which
-- write through term.current() with CC's word wrapping. term itself is C
-- (vm/lua/LibTermRedirect.cpp); it loads this file the first time a program
-- redirects to anything but the native terminal, and puts the C functions
-- (vm/lua/LibBase.cpp: straight to the computer's console) back when it
-- redirects to the native terminal again.
local redirecting = ...
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

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
return lua_print, lua_write, lua_printError
