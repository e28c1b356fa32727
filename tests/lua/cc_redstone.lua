-- redstone with no world around the computer: outputs kept per side, inputs
-- 0, CC's checks and messages.
-- expect-out: child sees 1
-- expect-out: redstone ok
local check = require("lib.check")

check.same(redstone.getSides(), {"bottom", "top", "back", "front", "right", "left"}, "sides")
check.eq(rs, redstone, "rs is redstone")
for _, fn in ipairs({redstone.getOutput, redstone.getInput, redstone.getAnalogueOutput, redstone.getAnalogueInput,
                     redstone.getBundledOutput, redstone.getBundledInput}) do
  check.raises("bad argument #1 (string expected, got number)", fn, 0)
  check.raises("bad argument #1 (unknown option blah)", fn, "blah")
  fn("Top")
end
redstone.setOutput("top", true)
check.eq(redstone.getAnalogueOutput("top"), 15, "on is 15")
redstone.setOutput("toP", false)
check.eq(redstone.getAnalogOutput("top"), 0, "off is 0")
redstone.setAnalogueOutput("top", 1)
check.eq(redstone.getOutput("top"), true, "1 is on")
check.raises("bad argument #2 (number expected, got boolean)", redstone.setAnalogueOutput, "top", true)
check.raises("bad argument #2 (number expected, got nan)", redstone.setAnalogueOutput, "top", 0 / 0)
check.raises("bad argument #2 (number expected, got inf)", redstone.setAnalogueOutput, "top", math.huge)
check.raises("Expected number in range 0-15", redstone.setAnalogueOutput, "top", 16)
check.raises("Expected number in range 0-15", redstone.setAnalogueOutput, "top", -1)
redstone.setBundledOutput("left", 0x1234)
check.eq(redstone.getBundledOutput("left"), 0x1234, "bundled")
check.eq(redstone.getInput("back"), false, "no input")
check.eq(redstone.getAnalogueInput("back"), 0, "input 0")
check.eq(redstone.testBundledInput("back", 0), true, "empty mask")
-- The outputs belong to the computer: a child sees them.
local process = require("system.process")
local child = process.startString("print('child sees ' .. redstone.getAnalogueOutput('top'))")
process.wait(child)
print("redstone ok")
