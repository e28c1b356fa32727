-- debug.setbreakpoint, as CraftOS-PC's: a process of this user that reaches
-- the line stops there, traced (getpinfo(pid).breakpoint), while the others
-- run on; SIGCONT continues it; a condition is honoured; unsetbreakpoint
-- removes it; debug.debug() stops the caller. A breakpoint costs nothing
-- once gone: the child runs to its end.
-- expect-out: breakpoints ok
local check = require("lib.check")
local process = require("system.process")
local ipc = require("system.ipc")

local f = fs.open("/counted.lua", "w")
f.write("local n = 0\nfor i = 1, 5 do\n  n = n + i\nend\nprint('counted', n)\nreturn n\n")
f.close()

local function wait_stopped(pid)
  for _ = 1, 500 do
    local info = process.getpinfo(pid)
    if info and info.breakpoint then return true end
    process.sleep(0.01)
  end
  return false
end

local id = debug.setbreakpoint("counted.lua", 3, "i % 2 == 1")
check.eq(math.type(id), "integer", "setbreakpoint gives an id")
local child = process.start("/counted.lua")
local stops = 0
while wait_stopped(child) do
  stops = stops + 1
  ipc.kill(child, ipc.signal.SIGCONT)
  if stops == 3 then break end
end
check.eq(stops, 3, "stopped at i = 1, 3 and 5 (the condition)")
check.eq(process.wait(child, 5), 0, "it ran to its end")

-- removed: nothing stops any more
check.eq(debug.unsetbreakpoint(id), true, "unsetbreakpoint")
check.eq(debug.unsetbreakpoint(id), false, "unset twice")
child = process.start("/counted.lua")
check.eq(process.wait(child, 5), 0, "no breakpoint, no stop")

-- debug.debug() stops the caller until it is continued
local stopper = process.startString("debug.debug() print('continued')", "stopper")
check.truthy(wait_stopped(stopper), "debug.debug stops its caller")
ipc.kill(stopper, ipc.signal.SIGCONT)
check.eq(process.wait(stopper, 5), 0, "and it goes on when continued")
check.raises("(line out of range)", debug.setbreakpoint, "x.lua", 0)
print("breakpoints ok")
