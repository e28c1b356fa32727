-- CC's event model: os.pullEventRaw is coroutine.yield; the main coroutine's
-- yield waits for an event its filter accepts; parallel and sleep work on it.
-- expect-out: events ok
local check = require("lib.check")
local ipc = require("system.ipc")
local process = require("system.process")

-- A top-level yield with a filter gets the next matching event; the others
-- (system events) are dropped, as in CC.
os.queueEvent("skip_me", 1)
os.queueEvent("wanted", "a", 2)
local ev, a, b = coroutine.yield("wanted")
check.eq(ev, "wanted", "filtered yield")
check.eq(a, "a", "first value")
check.eq(b, 2, "second value")
os.queueEvent("probe")
check.eq(os.pullEvent(), "probe", "skip_me was dropped")

-- terminate passes any filter; pullEvent raises, pullEventRaw returns it.
os.queueEvent("terminate")
check.eq(os.pullEventRaw("never"), "terminate", "terminate passes the filter")
os.queueEvent("terminate")
local ok, err = pcall(os.pullEvent, "never")
check.eq(ok, false, "pullEvent raises")
check.eq(err, "Terminated", "Terminated, without a position")

-- Remote events are never dropped by a filtered pull.
ipc.sendEvent(process.getpid(), "hello", {n = 1})
os.queueEvent("after")
check.eq(os.pullEvent("after"), "after", "pull skips the remote event")
local name, param = ipc.receiveEvent(nil, "hello", 0)
check.eq(name, "hello", "remote event still queued")
check.eq(param.n, 1, "remote param")

-- Inside a user coroutine, pullEvent returns to the parent.
local co = coroutine.create(function() return os.pullEvent("x") end)
local ok1, filter = coroutine.resume(co)
check.truthy(ok1, "resume")
check.eq(filter, "x", "the filter comes back to the parent")
local ok2, got = coroutine.resume(co, "x", 5)
check.eq(got, "x", "the parent resumes with the event")

-- parallel, with CC's sleep (timers) in both branches.
local order = {}
local winner = parallel.waitForAny(
  function() sleep(0.2) order[#order + 1] = "slow" end,
  function() sleep(0.01) order[#order + 1] = "fast" end)
check.eq(winner, 2, "waitForAny returns the finished one")
check.eq(order[1], "fast", "fast first")
local got_x = false
parallel.waitForAll(function() os.pullEvent("x") got_x = true end, function() os.queueEvent("x") end)
check.truthy(got_x, "waitForAll passes events between branches")
check.raises("boom", parallel.waitForAny, function() error("boom", 0) end)
check.raises("bad argument #1 (function expected, got number)", parallel.waitForAll, 1)

-- A timer started in one branch fires there; os.cancelTimer stops one.
local t = os.startTimer(0.01)
os.cancelTimer(t)
local t2 = os.startTimer(0.02)
local _, id = os.pullEvent("timer")
check.eq(id, t2, "the cancelled timer never fires")
-- Yieldable where CC is: gsub callbacks, sort comparators and load readers
-- may pull events and sleep.
local upper = ("hello world"):gsub("%w+", function(w)
  os.queueEvent("tick")
  os.pullEvent("tick")
  return w:upper()
end)
check.eq(upper, "HELLO WORLD", "gsub callback pulled events")
check.eq((("abc"):gsub("", function() return "-" end)), "-a-b-c-", "empty matches as Lua's")
check.eq(select(2, ("abc"):gsub("%w*", function() return "-" end)), 1, "no empty match after a match")
check.eq((("abc"):gsub("()b", function(p) return p end)), "a2c", "position captures")
check.raises("invalid replacement value (a table)", string.gsub, "a", "a", function() return {} end)
local t = {5, 3, 1, 4, 2}
table.sort(t, function(a, b) sleep(0) return a > b end)
check.eq(table.concat(t, ","), "5,4,3,2,1", "sort comparator slept")
local pieces, i = {"return ", "1 + ", "2"}, 0
local chunk = load(function()
  i = i + 1
  os.queueEvent("piece")
  os.pullEvent("piece")
  return pieces[i]
end)
check.eq(chunk(), 3, "load reader pulled events")

-- alarms: in-game time (50 s an hour), ids of their own, cancellable
check.raises("Number out of range", os.setAlarm, 24)
check.raises("bad argument #1 (number expected, got string)", os.setAlarm, "x")
local timer_before = os.startTimer(60)
local cancelled = os.setAlarm((os.time() + 0.005) % 24)
os.cancelAlarm(cancelled)
local alarm = os.setAlarm((os.time() + 0.01) % 24)  -- half a second away
check.eq(alarm, cancelled + 1, "alarm ids count on their own")
local guard = os.startTimer(5)
local name, id = os.pullEvent()
while name ~= "alarm" and not (name == "timer" and id == guard) do name, id = os.pullEvent() end
check.eq(name, "alarm", "the alarm fires before the guard timer")
check.eq(id, alarm, "the alarm's id, not the cancelled one")
os.cancelTimer(guard) os.cancelTimer(timer_before)
print("events ok")
