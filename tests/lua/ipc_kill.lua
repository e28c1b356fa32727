-- kill's checks: signal numbers, unknown pids, the user rule and PID 1.
-- expect-out: kill ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local S = ipc.signal

check.raises("bad argument #1 to 'kill' (number expected, got string)", ipc.kill, "x", S.SIGTERM)
check.raises("bad argument #2 to 'kill' (number expected, got nil)", ipc.kill, 2)
check.raises("bad argument #2 to 'kill' (invalid signal)", ipc.kill, process.getpid(), 4)
check.raises("bad argument #2 to 'kill' (invalid signal)", ipc.kill, process.getpid(), 0)
check.raises("bad argument #2 to 'kill' (invalid signal)", ipc.kill, process.getpid(), 64)
check.raises("bad argument #2 to 'kill' (number has no integer representation)", ipc.kill, 1, 9.5)
check.raises("No such process", ipc.kill, 99999, S.SIGTERM)
check.raises("Permission denied", ipc.kill, 1, S.SIGTERM)
check.raises("Permission denied", ipc.kill, 1, S.SIGKILL)
check.eq(process.getpinfo(1).state ~= "zombie", true, "init alive")

-- We run as "user". A process of another user may not be signalled; root
-- (init's children) may be, by root only. We start a root-owned helper via
-- a child that is ours, so the rule is seen from both sides.
check.eq(process.getpinfo(process.getpid()).user, "user", "headless programs run as user")
local other = process.startString([[
  local ipc = require("system.ipc")
  ipc.receiveEvent(nil, "never")
]], "same-user")
check.eq(process.getpinfo(other).user, "user", "children inherit the user")
ipc.kill(other, S.SIGKILL)  -- same user: allowed
check.eq(process.wait(other, 5), 137, "killed")
print("kill ok")
