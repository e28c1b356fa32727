-- peripheral: CC's peripheral API. This computer has no peripherals attached
-- yet (periphemu comes with several computers), so every lookup answers as
-- CC does for a side with nothing on it.
local expect = require("cc.expect").expect

local peripheral = {}
local sides = {"top", "bottom", "left", "right", "front", "back"}

function peripheral.getNames() return {} end

function peripheral.isPresent(name)
  expect(1, name, "string")
  return false
end

function peripheral.getType(p)
  expect(1, p, "string", "table")
  return nil
end

function peripheral.hasType(p, type_name)
  expect(1, p, "string", "table")
  expect(2, type_name, "string")
  return nil
end

function peripheral.getMethods(name)
  expect(1, name, "string")
  return nil
end

function peripheral.getName(p)
  expect(1, p, "table")
  error("bad argument #1 (table is not a peripheral)", 2)
end

function peripheral.call(name, method, ...)
  expect(1, name, "string")
  expect(2, method, "string")
  error("No peripheral attached", 2)
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
