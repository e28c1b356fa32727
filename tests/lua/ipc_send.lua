-- sendEvent's return value and argument checks.
-- expect-out: send ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()

check.eq(ipc.sendEvent(99999, "x", {}), false, "unknown pid")
check.eq(ipc.sendEvent(-1, "x", {}), false, "negative pid")

-- A zombie cannot receive.
local child = process.startString("return", "quick")
check.eventually(function() return check.state(child) == "zombie" end, 5, "child exits")
check.eq(ipc.sendEvent(child, "x", {}), false, "zombie")
process.wait(child)
check.eq(ipc.sendEvent(child, "x", {}), false, "reaped")

-- The queue is bounded: 4096 events, then false; nothing accepted is lost.
-- The sink drains its queue once "start" comes.
local sink = process.startString([[
  local ipc = require("system.ipc")
  local _, _, from = ipc.receiveEvent(nil, "start")
  local n = 0
  while true do
    local ev, p = ipc.receiveEvent(nil, nil, 0)
    if not ev then break end
    n = n + 1
    if p.i ~= n then error("out of order: " .. p.i .. " at " .. n) end
  end
  ipc.sendEvent(from, "count", {n = n})
]], "sink")
-- The sink is stopped while its queue fills, so that it cannot drain it
-- even if this process is preempted on the way.
ipc.kill(sink, ipc.signal.SIGSTOP)
for i = 1, 4095 do check.eq(ipc.sendEvent(sink, "n", {i = i}), true, "send " .. i) end
check.eq(ipc.sendEvent(sink, "start", {}), true, "the 4096th event")
for i = 1, 10 do check.eq(ipc.sendEvent(sink, "n", {i = -1}), false, "refused when full") end
ipc.kill(sink, ipc.signal.SIGCONT)
local _, p = ipc.receiveEvent(sink, "count", 10)
check.eq(p.n, 4095, "every accepted event was received, in order")

-- Bad arguments.
check.raises("bad argument #1 to 'sendEvent' (number expected, got string)", ipc.sendEvent, "one", "x", {})
check.raises("bad argument #1 to 'sendEvent' (number has no integer representation)", ipc.sendEvent, 1.5, "x", {})
check.raises("bad argument #2 to 'sendEvent' (string expected, got nil)", ipc.sendEvent, me)
check.raises("bad argument #3 to 'sendEvent' (table expected, got string)", ipc.sendEvent, me, "x", "y")
check.raises("bad argument #3 to 'sendEvent' (table expected, got function)", ipc.sendEvent, me, "x", print)
check.eq(ipc.receiveEvent(nil, nil, 0), nil, "nothing queued by bad calls")
print("send ok")
