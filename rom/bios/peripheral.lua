-- peripheral: CC's peripheral API. No peripherals are attached yet
-- (periphemu comes with several computers), so lookups by name answer as CC
-- does for a side with nothing on it. Wrapped peripherals are tables whose
-- metatable (__name = "peripheral") holds name, type and types, as CC's.
local expect = require("cc.expect").expect

local peripheral = {}
local sides = {"top", "bottom", "left", "right", "front", "back"}

-- The metatable of a wrapped peripheral, or an error as CC raises it.
local function wrapped(p, level)
  local mt = getmetatable(p)
  if type(mt) ~= "table" or mt.__name ~= "peripheral" or type(mt.types) ~= "table" then
    error("bad argument #1 (table is not a peripheral)", level + 1)
  end
  return mt
end

function peripheral.getNames() return {} end

function peripheral.isPresent(name)
  expect(1, name, "string")
  return false
end

function peripheral.getType(p)
  expect(1, p, "string", "table")
  if type(p) == "table" then return table.unpack(wrapped(p, 2).types) end
  return nil
end

function peripheral.hasType(p, type_name)
  expect(1, p, "string", "table")
  expect(2, type_name, "string")
  if type(p) == "table" then return wrapped(p, 2).types[type_name] ~= nil end
  return nil
end

function peripheral.getMethods(name)
  expect(1, name, "string")
  return nil
end

function peripheral.getName(p)
  expect(1, p, "table")
  return wrapped(p, 2).name
end

function peripheral.call(name, method, ...)
  expect(1, name, "string")
  expect(2, method, "string")
  return nil  -- nothing is attached under that name
end

function peripheral.wrap(name)
  expect(1, name, "string")
  return nil
end

function peripheral.find(type_name, filter)
  expect(1, type_name, "string")
  expect(2, filter, "function", "nil")
  return nil
end

peripheral.sides = sides
return peripheral
