-- peripheral: CC's peripheral API over the devices attached to this computer
-- (periphemu, attach). The devices live in the computer; system.peripheral
-- reaches them by name. Wrapped peripherals are tables whose metatable
-- (__name = "peripheral") holds name, type and types, as CC's.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect
-- The natives: moonbox's module for the system's own copy; loaded as CC
-- loads an API file (into an environment of its own), the environment's
-- `peripheral`, as CC's file takes it.
local native = rawequal(_ENV, _G) and require("system.peripheral") or peripheral

local peripheral = {}

-- The metatable of a wrapped peripheral, or an error as CC raises it.
local function wrapped(p, level)
  local mt = getmetatable(p)
  if type(mt) ~= "table" or mt.__name ~= "peripheral" or type(mt.types) ~= "table" then
    error("bad argument #1 (table is not a peripheral)", level + 1)
  end
  return mt
end

function peripheral.getNames() return native.getNames() end

function peripheral.isPresent(name)
  expect(1, name, "string")
  return native.isPresent(name)
end

function peripheral.getType(p)
  expect(1, p, "string", "table")
  if type(p) == "table" then return table.unpack(wrapped(p, 2).types) end
  return native.getType(p)
end

function peripheral.hasType(p, type_name)
  expect(1, p, "string", "table")
  expect(2, type_name, "string")
  if type(p) == "table" then return wrapped(p, 2).types[type_name] ~= nil end
  if not native.isPresent(p) then return nil end
  return native.getType(p) == type_name
end

function peripheral.getMethods(name)
  expect(1, name, "string")
  return native.getMethods(name)
end

function peripheral.getName(p)
  expect(1, p, "table")
  return wrapped(p, 2).name
end

function peripheral.call(name, method, ...)
  expect(1, name, "string")
  expect(2, method, "string")
  if not native.isPresent(name) then return nil end
  return native.call(name, method, ...)
end

function peripheral.wrap(name)
  expect(1, name, "string")
  local methods = native.getMethods(name)
  if not methods then return nil end
  local kind = native.getType(name)
  local types = {kind, [kind] = true}
  local call = native.call
  local result = setmetatable({}, {__name = "peripheral", name = name, type = kind, types = types})
  for _, method in ipairs(methods) do
    result[method] = function(...) return call(name, method, ...) end
  end
  return result
end

function peripheral.find(type_name, filter)
  expect(1, type_name, "string")
  expect(2, filter, "function", "nil")
  local found = {}
  for _, name in ipairs(native.getNames()) do
    if native.getType(name) == type_name then
      local p = peripheral.wrap(name)
      if p and (filter == nil or filter(name, p)) then found[#found + 1] = p end
    end
  end
  return table.unpack(found)
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(peripheral) do _ENV[k] = v end end
return peripheral
