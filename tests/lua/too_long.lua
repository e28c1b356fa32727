-- Code that cannot yield (a __tostring metamethod, which tostring calls from
-- C) cannot be preempted: the
-- kernel lets it run on, and after 10 s it gets "too long without yielding"
-- and ends alone; its parent and init carry on. (The same rule with a short
-- limit, inside coroutines, is covered by the vm unit tests.) A loop inside
-- a program's own debug hook, which Lua runs with hooks off, ends the same way.
-- expect-out: too long ok
local process = require("system.process")
local check = require("lib.check")

local t0 = os.clock()
local stuck = process.startString([[
  tostring(setmetatable({}, {__tostring = function() while true do end end}))
]], "stuck")
local in_hook = process.startString([[
  debug.sethook(function() while true do end end, "l")
  local x = 1
]], "stuck in a hook")
local ended = {}
while not (ended[stuck] and ended[in_hook]) do
  local _, info = os.pullEvent("process_complete")
  ended[info.id] = info
end
for _, pid in ipairs({stuck, in_hook}) do
  check.eq(ended[pid].status, 1, "status")
  check.truthy(ended[pid].error:find("too long without yielding", 1, true), "message: " .. ended[pid].error)
end
check.truthy(os.clock() - t0 >= 9.5, "after about 10 s")
print("too long ok")
