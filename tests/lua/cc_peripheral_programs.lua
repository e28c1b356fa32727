-- The programs that drive peripherals print what CC's print (issue 23):
-- peripherals, drive, eject, redstone, dj.
-- expect-out: programs ok
local check = require("lib.check")
local function output(...)
  local lines = {}
  local old_print, old_write, old_err = _G.print, _G.write, _G.printError
  local partial = ""
  _G.write = function(s) partial = partial .. tostring(s) end
  _G.print = function(...)
    lines[#lines + 1] = partial .. table.concat({...}, " ")
    partial = ""
  end
  _G.printError = function(s) lines[#lines + 1] = "error: " .. tostring(s) end
  shell.run(...)
  _G.print, _G.write, _G.printError = old_print, old_write, old_err
  return lines
end

check.same(output("peripherals"), {"Attached Peripherals:", "None"})
assert(periphemu.create("left", "drive"))
assert(periphemu.create("top", "monitor"))
check.same(output("peripherals"), {"Attached Peripherals:", "top (monitor)", "left (drive)"})

check.same(output("drive", "/nope"), {"No such path"})
local free = fs.getFreeSpace("/")
local tenths = free // 100000  -- (a 64 MB disk: MB with one decimal, none when whole)
local expected = (tenths % 10 == 0 and tostring(tenths // 10) or string.format("%.1f", tenths / 10)) .. "MB"
check.same(output("drive", "/"), {"hdd (" .. expected .. " remaining)"})
check.same(output("drive", "/rom"), {"rom (0B remaining)"})  -- read-only: no room

check.same(output("eject"), {"Usage: eject <drive>"})
check.same(output("eject", "left"), {"Nothing in left drive"})
peripheral.call("left", "insertDisk", 3)
os.pullEvent("disk")
check.same(output("eject", "left"), {})
check.eq(disk.isPresent("left"), false)

check.same(output("redstone"), {"Usages:", "redstone probe", "redstone set <side> <value>",
  "redstone set <side> <color> <value>", "redstone pulse <side> <count> <period>"})
check.same(output("redstone", "probe"), {"Redstone inputs: ", "None."})
output("redstone", "set", "back", "true")
check.eq(redstone.getOutput("back"), true)
output("redstone", "set", "back", "7")
check.eq(redstone.getAnalogOutput("back"), 7)
check.same(output("redstone", "set", "back", "lots"), {"Value must be boolean or 0-15"})
check.same(output("redstone", "set", "back", "red", "maybe"), {"Value must be boolean"})
check.same(output("redstone", "set", "back", "reddish", "true"), {"error: No such color"})

check.same(output("dj"), {"No Music Discs in attached disk drives"})
check.same(output("dj", "play", "left"), {"No Music Disc in disk drive: left"})
check.same(output("dj", "a", "b", "c"), {"Usages:", "dj play", "dj play <drive>", "dj stop"})
print("programs ok")
