-- Busy loops are preempted: in the main chunk, inside pcall, and inside a
-- user coroutine, whose resume never sees the kernel's yields.
-- expect-out: preemption ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()

local loops = {
  "while true do end",
  "pcall(function() while true do end end)",
  "local co = coroutine.wrap(function() while true do end end); co()",
  -- deep inside nested coroutines and pcall
  "coroutine.resume(coroutine.create(function() pcall(coroutine.wrap(function() while true do end end)) end))",
  -- a program's own hooks share Lua's hook with preemption, and cannot remove it
  "debug.sethook(function() end, 'l') while true do end",
  "debug.sethook(function() end, 'c', 1) while true do local _ = type(1) end",
  "debug.sethook(function() debug.sethook() end, '', 1) while true do end",
  "debug.sethook() while true do end",
}
local pids = {}
for i, body in ipairs(loops) do pids[i] = process.startString(body, "loop" .. i) end

-- With four processes spinning, we still get to run, timers still fire and
-- events still flow.
local t0 = os.clock()
for round = 1, 20 do
  process.sleep(0.005)
  check.eq(ipc.sendEvent(me, "tick", {round = round}), true, "send")
  local _, p = ipc.receiveEvent(me, "tick", 5)
  check.eq(p.round, round, "round")
end
check.truthy(os.clock() - t0 < 5, "20 short sleeps did not starve")
for _, pid in ipairs(pids) do
  check.eq(process.getpinfo(pid).state ~= "zombie", true, "loop still running")
  check.truthy(process.getpinfo(pid).cpuTime > 0, "loop got CPU time")
end

-- Trap 1: a user coroutine that is preempted mid-way keeps its own yields
-- and results exactly.
local co = coroutine.create(function(a)
  local sum = 0
  for i = 1, 3000000 do sum = sum + i end  -- long enough to be preempted
  local b = coroutine.yield(sum, a)
  for i = 1, 1000000 do sum = sum - 1 end
  return "done", b, sum
end)
local ok, sum, a = coroutine.resume(co, "first")
check.eq(ok, true, "resume ok")
check.eq(sum, 3000000 * 3000001 // 2, "sum yielded")
check.eq(a, "first", "argument passed through")
local ok2, tag, b, s2 = coroutine.resume(co, "second")
check.eq(ok2, true, "second resume")
check.eq(tag, "done", "return value"); check.eq(b, "second", "yield result")
check.eq(s2, sum - 1000000, "final")
check.eq(coroutine.status(co), "dead", "dead")
check.eq(select("#", coroutine.resume(co)), 2, "resume of a dead coroutine")

-- coroutine.wrap as a generator, preempted inside.
local gen = coroutine.wrap(function()
  for i = 1, 5 do
    local x = 0
    for _ = 1, 400000 do x = x + 1 end
    coroutine.yield(i, x)
  end
end)
for i = 1, 5 do
  local v, x = gen()
  check.eq(v, i, "generator value"); check.eq(x, 400000, "generator work")
end

-- A blocking call inside a user coroutine blocks the whole process and
-- returns its result to the coroutine.
local inner = coroutine.wrap(function()
  ipc.sendEvent(me, "inside", {v = 1})
  local ev, p = ipc.receiveEvent(me, "inside", 5)
  return ev, p.v
end)
local ev, v = inner()
check.eq(ev, "inside", "blocking inside a coroutine"); check.eq(v, 1, "value")

-- Errors inside wrapped coroutines propagate with position.
local err = check.raises("inner failure", coroutine.wrap(function() error("inner failure") end))
check.truthy(err:find("preemption.lua", 1, true), "position")

for _, pid in ipairs(pids) do ipc.kill(pid, ipc.signal.SIGKILL) end
print("preemption ok")
