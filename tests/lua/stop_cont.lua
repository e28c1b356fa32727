-- A stopped process makes no progress and keeps its queue; SIGCONT resumes it
-- where it was.
-- expect-out: stop/cont ok
-- expect-trace: "kind":"stop"
-- expect-trace: "kind":"continue"
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local S = ipc.signal
local me = process.getpid()

-- A counter that reports every tick.
local counter = process.startString([[
  local ipc = require("system.ipc")
  local process = require("system.process")
  local parent = ...
  local n = 0
  while true do
    n = n + 1
    ipc.sendEvent(parent, "tick", {n = n})
    process.sleep(0.01)
  end
]], "counter", me)
check.truthy(ipc.receiveEvent(counter, "tick", 5), "ticking")
ipc.kill(counter, S.SIGSTOP)
check.eq(check.state(counter), "stopped", "stopped")
-- drain what was sent before the stop, then expect silence
while ipc.receiveEvent(counter, "tick", 0) do end
check.eq(ipc.receiveEvent(counter, "tick", 0.2), nil, "no ticks while stopped")
-- it still accepts events while stopped
check.eq(ipc.sendEvent(counter, "hello", {}), true, "queue open while stopped")
check.eq(process.getpinfo(counter).queue, 1, "queued")
ipc.kill(counter, S.SIGCONT)
local _, p = ipc.receiveEvent(counter, "tick", 5)
check.truthy(p, "ticking again after CONT")
-- STOP a process that is busy computing (not blocked).
local busy = process.startString([[
  local ipc = require("system.ipc")
  local parent = ...
  local i = 0
  while true do
    i = i + 1
    if i % 100000 == 0 then ipc.sendEvent(parent, "busy", {i = i}) end
  end
]], "busy", me)
check.truthy(ipc.receiveEvent(busy, "busy", 5), "busy running")
ipc.kill(busy, S.SIGSTOP)
while ipc.receiveEvent(busy, "busy", 0) do end
check.eq(ipc.receiveEvent(busy, "busy", 0.2), nil, "busy process stopped")
ipc.kill(busy, S.SIGCONT)
check.truthy(ipc.receiveEvent(busy, "busy", 5), "busy resumed")
-- A process may stop itself; its parent continues it.
local selfstop = process.startString([[
  local ipc = require("system.ipc")
  local process = require("system.process")
  ipc.kill(process.getpid(), ipc.signal.SIGSTOP)
  ipc.sendEvent(..., "resumed", {})
]], "selfstop", me)
check.eventually(function() return check.state(selfstop) == "stopped" end, 5, "self stop")
ipc.kill(selfstop, S.SIGCONT)
check.truthy(ipc.receiveEvent(selfstop, "resumed", 5), "self-stopped process resumed")
for _, pid in ipairs({counter, busy}) do ipc.kill(pid, S.SIGKILL) end
print("stop/cont ok")
