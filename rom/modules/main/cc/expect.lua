--- cc.expect, as a file: CC's rom has it at this path, and CC's API files
-- and older programs load it with dofile, where require is not there (an
-- API file loaded into an environment of its own). require("cc.expect")
-- gives moonbox's built-in one (vm/lua/LibExpect.cpp), which words its
-- errors the same way.

local function type_names(types)
  local shown = {}
  for i = 1, types.n do
    if types[i] ~= "nil" then shown[#shown + 1] = types[i] end
  end
  if #shown <= 1 then return types[1] end
  return table.concat(shown, ", ", 1, #shown - 1) .. " or " .. shown[#shown]
end

local function display_type(value)
  local mt = getmetatable(value)
  if type(mt) == "table" and type(rawget(mt, "__name")) == "string" then return mt.__name end
  return type(value)
end

local function has_type(value, types)
  local t = type(value)
  for i = 1, types.n do
    if types[i] == t then return true end
  end
  return false
end

--- Checks that argument `index`, `value`, has one of the types given.
local function expect(index, value, ...)
  local types = table.pack(...)
  if has_type(value, types) then return value end
  local name
  local info = debug and debug.getinfo and debug.getinfo(2, "nS")  -- the checked function
  if info and info.name and info.name ~= "" and info.what ~= "C" then name = info.name end
  local names, got = type_names(types), display_type(value)
  if name then
    error(("bad argument #%d to '%s' (%s expected, got %s)"):format(index, name, names, got), 3)
  end
  error(("bad argument #%d (%s expected, got %s)"):format(index, names, got), 3)
end

--- Checks that field `key` of `tbl` has one of the types given.
local function field(tbl, key, ...)
  local types = table.pack(...)
  local value = tbl[key]
  if has_type(value, types) then return value end
  if value == nil then error(("field '%s' missing from table"):format(key), 3) end
  error(("bad field '%s' (%s expected, got %s)"):format(key, type_names(types), display_type(value)), 3)
end

local function shown_number(n)
  if n ~= n then return tostring(n) end
  if n == math.huge then return "inf" end
  if n == -math.huge then return "-inf" end
  if n == math.floor(n) and math.abs(n) < 2 ^ 53 then return ("%d"):format(n) end
  return tostring(n)
end

--- Checks that `num` is within min and max (-inf and inf when left out).
local function range(num, min, max)
  expect(1, num, "number")
  min = expect(2, min, "number", "nil") or -math.huge
  max = expect(3, max, "number", "nil") or math.huge
  if num < min or num > max or num ~= num then
    error(("number outside of range (expected %s to be within %s and %s)"):format(
      shown_number(num), shown_number(min), shown_number(max)), 3)
  end
  return num
end

return setmetatable({ expect = expect, field = field, range = range }, {
  __call = function(_, ...) return expect(...) end,
})
