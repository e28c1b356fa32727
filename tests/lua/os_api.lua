-- The CC os subset: events, timers, clocks.
-- expect-out: os ok
local check = require("lib.check")
local ipc = require("system.ipc")
local process = require("system.process")

os.queueEvent("custom", 1, "two", {three = 3})
local ev, a, b, c = os.pullEvent("custom")
check.eq(ev, "custom", "name"); check.eq(a, 1, "a"); check.eq(b, "two", "b"); check.eq(c.three, 3, "c")

-- pullEvent with a filter drops other system events, as CC does...
os.queueEvent("skipped")
os.queueEvent("wanted")
check.eq((os.pullEvent("wanted")), "wanted", "filter")
check.eq(ipc.receiveEvent(nil, nil, 0), nil, "no remote events")
-- ...but never remote events, which wait for receiveEvent
ipc.sendEvent(process.getpid(), "remote", {v = 1})
os.queueEvent("wanted2")
check.eq((os.pullEvent("wanted2")), "wanted2", "filter past a remote event")
local rev, rp = ipc.receiveEvent(nil, "remote", 0)
check.eq(rp.v, 1, "remote event kept")
-- and pullEvent() without a filter sees a remote event as remote_event
ipc.sendEvent(process.getpid(), "hello", {x = 5})
local e, info = os.pullEvent()
check.eq(e, "remote_event", "remote_event")
check.eq(info.type, "hello", "type"); check.eq(info.sender, process.getpid(), "sender"); check.eq(info.data.x, 5, "data")

-- terminate: pullEvent raises, pullEventRaw returns it
os.queueEvent("terminate")
check.raises("Terminated", os.pullEvent)
os.queueEvent("terminate")
check.eq((os.pullEventRaw()), "terminate", "raw")

-- timers
local t = os.startTimer(0.05)
local cancelled = os.startTimer(0.01)
os.cancelTimer(cancelled)
local _, id = os.pullEvent("timer")
check.eq(id, t, "timer id")
check.eq(type(os.clock()), "number", "clock")
check.truthy(os.epoch("utc") > 1600000000000, "epoch utc in ms")
check.eq(math.type(os.epoch()), "integer", "epoch ingame")
check.truthy(os.time() >= 0 and os.time() < 24, "time of day")
local ingame, default = os.time("ingame"), os.time()
check.truthy(math.abs(default - ingame) <= 0.001 + 1e-9, "the in-game clock moves in ticks: two calls agree, or are one tick apart")
local hours = os.time()
check.truthy(math.abs(hours * 1000 - math.floor(hours * 1000 + 0.5)) < 1e-6, "a tick is a thousandth of an hour")
check.eq(os.getComputerID(), 0, "id")
os.setComputerLabel("box")
check.eq(os.getComputerLabel(), "box", "label")
check.raises("bad argument #1 (number expected, got string)", os.startTimer, "soon")
check.raises("bad argument #1 (string expected, got nil)", os.queueEvent)
check.raises("Unsupported operation", os.epoch, "mars")
check.raises("bad argument #2 (cannot send a function (at arg))", os.queueEvent, "x", print)
print("os ok")
