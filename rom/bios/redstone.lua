-- redstone: CC's redstone API for a computer with no world around it: the
-- outputs are kept per side (for this process), the inputs read 0.
local expect = require("cc.expect").expect

local redstone = {}
local sides = {"top", "bottom", "left", "right", "front", "back"}
local valid = {}
for _, s in ipairs(sides) do valid[s] = true end
local analog, bundled = {}, {}
for _, s in ipairs(sides) do analog[s] = 0; bundled[s] = 0 end

local function side(arg, n)
  expect(n or 1, arg, "string")
  local s = arg:lower()
  if not valid[s] then error("bad argument #" .. (n or 1) .. " (unknown option " .. arg .. ")", 3) end
  return s
end

function redstone.getSides() return {table.unpack(sides)} end

function redstone.setOutput(s, on)
  s = side(s)
  expect(2, on, "boolean")
  analog[s] = on and 15 or 0
end
function redstone.getOutput(s) return analog[side(s)] > 0 end
function redstone.getInput(s) side(s) return false end

function redstone.setAnalogOutput(s, value)
  s = side(s)
  expect(2, value, "number")
  if value ~= value or value < 0 or value > 15 then error("Expected number in range 0-15", 2) end
  analog[s] = math.floor(value)
end
function redstone.getAnalogOutput(s) return analog[side(s)] end
function redstone.getAnalogInput(s) side(s) return 0 end
redstone.setAnalogueOutput = redstone.setAnalogOutput
redstone.getAnalogueOutput = redstone.getAnalogOutput
redstone.getAnalogueInput = redstone.getAnalogInput

function redstone.setBundledOutput(s, value)
  s = side(s)
  expect(2, value, "number")
  bundled[s] = math.floor(value) & 0xFFFF
end
function redstone.getBundledOutput(s) return bundled[side(s)] end
function redstone.getBundledInput(s) side(s) return 0 end
function redstone.testBundledInput(s, mask)
  side(s)
  expect(2, mask, "number")
  return mask == 0
end

return redstone
