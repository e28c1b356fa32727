-- Pids are exact: a number near a live pid (+-2^31, +-2^32 around it) names
-- no process, in every function that takes one; NaN and infinity keep their
-- argument error. The live process is never touched.
-- expect-out: pids exact
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local S = ipc.signal

local child = process.startString("require('system.ipc').receiveEvent(nil, 'never')", "victim")
check.eventually(function() return check.state(child) == "blocked" end, 5, "child blocked")

for _, offset in ipairs({2^31, -2^31, 2^32, -2^32}) do
  local near = child + math.tointeger(offset)
  local what = "pid " .. near
  check.raises("No such process", ipc.kill, near, S.SIGKILL)
  check.eq(ipc.sendEvent(near, "hello", {}), false, what .. " sendEvent")
  check.eq(process.getpinfo(near), nil, what .. " getpinfo")
  check.raises("bad argument #1 to 'wait' (no such child process)", process.wait, near, 0)
  check.raises("No such process", process.setforeground, near)
  -- A receive filtered on it sees nothing, even when the real child sends.
  check.eq(ipc.receiveEvent(near, nil, 0), nil, what .. " receiveEvent")
end

for _, bad in ipairs({0/0, math.huge, -math.huge, 1.5}) do
  check.raises("bad argument #1 to 'kill' (number has no integer representation)", ipc.kill, bad, S.SIGTERM)
  check.raises("bad argument #1 to 'sendEvent' (number has no integer representation)", ipc.sendEvent, bad, "x")
  check.raises("bad argument #1 to 'getpinfo' (number has no integer representation)", process.getpinfo, bad)
  check.raises("bad argument #1 to 'wait' (number has no integer representation)", process.wait, bad)
end

-- The child was never signalled or sent anything.
check.eq(check.state(child), "blocked", "child untouched")
check.eq(process.getpinfo(child).queue, 0, "child queue")
check.truthy(ipc.sendEvent(child, "never", {}), "child reachable by its own pid")
check.eq(process.wait(child, 5), 0, "child status")
print("pids exact")
