-- Several computers: periphemu.create(id, "computer") starts computer 1
-- (its own files, label and peripherals) and attaches a computer
-- peripheral; a computer that loops or crashes leaves the others running;
-- turnOn, shutdown, reboot, isOn, getID, getLabel; peripherals saved in a
-- computer's configuration come back at its next boot.
-- computer-file: 1 startup.lua worker_startup.lua
-- expect-out: done
-- expect-err: [1] boot 1 id 1 peripherals
-- expect-err: [1] boot 2 id 1 peripherals top
-- expect-err: crash on boot 2
-- expect-err: [1] boot 3 id 1 peripherals top
-- expect-file: .moonbox/world/computer/1/boots 3
-- expect-file: .moonbox/world/computer/1/.moonbox/config.json "type": "modem"
-- computer-file: 2 .moonbox/config.json drive9_config.json
-- world-file: disk/9/startup.lua disk_startup.lua
-- expect-err: [2] booted from disk/startup.lua on computer 2
local check = require("lib.check")

local function wait_for(what, fn, seconds)
  local deadline = os.clock() + (seconds or 10)
  while not fn() do
    if os.clock() > deadline then error("timed out waiting for " .. what, 2) end
    sleep(0.05)
  end
end

check.eq(os.getComputerID(), 0)
check.eq(periphemu.create(1, "computer"), true)
check.eq(periphemu.create("computer_1", "computer"), false)  -- attached already
local c = peripheral.wrap("computer_1")
check.eq(c.getID(), 1)
check.eq(c.isOn(), true)
wait_for("computer 1's label", function() return c.getLabel() == "worker" end)

-- computer 1 now loops without yielding; this one still runs
local t0 = os.clock()
sleep(0.3)
check.truthy(os.clock() - t0 >= 0.3, "computer 0 keeps running")

-- reboot: it crashes on boot 2, and stays on (its shell goes on)
c.reboot()
wait_for("boot 2", function()
  return c.isOn() and c.getLabel() == "worker" and fs.exists("/marker") == false
end)
sleep(0.5)
check.eq(c.isOn(), true)

-- shutdown, then on again
c.shutdown()
wait_for("computer 1 off", function() return not c.isOn() end)
check.eq(c.getLabel(), "worker")  -- read from its data directory while off
c.turnOn()
check.eq(c.isOn(), true)
sleep(0.5)

-- detaching the peripheral leaves the computer on; attach finds it running
check.eq(periphemu.remove("computer_1"), true)
check.eq(periphemu.create(1, "computer"), true)
check.eq(peripheral.call("computer_1", "isOn"), true)
-- computer 2 has a drive with floppy 9, which holds a startup: it boots from it
check.eq(periphemu.create(2, "computer"), true)
wait_for("computer 2 to run its floppy's startup and turn off", function() return not peripheral.call("computer_2", "isOn") end)
print("done")
