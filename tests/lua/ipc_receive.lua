-- receiveEvent filters by sender and name; what doesn't match stays queued in
-- order; a timeout returns a single nil.
-- expect-out: receive ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()

-- A helper that sends three events to us when told to.
local helper = process.startString([[
  local ipc = require("system.ipc")
  local _, p, from = ipc.receiveEvent(nil, "go")
  ipc.sendEvent(from, "a", {n = 1})
  ipc.sendEvent(from, "b", {n = 2})
  ipc.sendEvent(from, "a", {n = 3})
]], "helper")
ipc.sendEvent(me, "a", {n = 0})  -- from ourselves, queued first
ipc.sendEvent(helper, "go")
check.eq(process.wait(helper, 5), 0, "helper done")

-- Filter by name and sender: skips our own "a" and the helper's "b".
local ev, p, from = ipc.receiveEvent(helper, "b")
check.eq(ev, "b", "by name"); check.eq(p.n, 2, "n"); check.eq(from, helper, "from")
-- By sender only: the helper's first remaining event, in order.
ev, p = ipc.receiveEvent(helper)
check.eq(ev, "a", "order 1"); check.eq(p.n, 1, "n 1")
-- Anything: our own event, which was queued before all of them.
ev, p, from = ipc.receiveEvent()
check.eq(p.n, 0, "order 0"); check.eq(from, me, "self sender")
ev, p = ipc.receiveEvent(nil, "a")
check.eq(p.n, 3, "last a")

-- Timeouts: a single nil, after roughly the time asked for.
local t0 = os.clock()
local results = table.pack(ipc.receiveEvent(nil, "never", 0.2))
check.eq(results.n, 1, "one value on timeout")
check.eq(results[1], nil, "nil on timeout")
check.truthy(os.clock() - t0 >= 0.19, "waited the timeout")
check.eq(ipc.receiveEvent(nil, nil, 0), nil, "poll with timeout 0")
check.eq(select("#", ipc.receiveEvent(12345, nil, 0)), 1, "pid filter poll")

-- Events that don't match are kept while we wait for another.
ipc.sendEvent(me, "keep1", {})
ipc.sendEvent(me, "keep2", {})
check.eq(ipc.receiveEvent(nil, "other", 0.05), nil, "other not there")
check.eq((ipc.receiveEvent()), "keep1", "kept in order 1")
check.eq((ipc.receiveEvent()), "keep2", "kept in order 2")

-- Bad arguments.
check.raises("bad argument #1 to 'receiveEvent' (number expected, got string)", ipc.receiveEvent, "x")
check.raises("bad argument #2 to 'receiveEvent' (string expected, got table)", ipc.receiveEvent, nil, {})
check.raises("bad argument #3 to 'receiveEvent' (number expected, got string)", ipc.receiveEvent, nil, nil, "soon")
check.raises("bad argument #3 to 'receiveEvent' (timeout must not be negative)", ipc.receiveEvent, nil, nil, -1)
print("receive ok")
