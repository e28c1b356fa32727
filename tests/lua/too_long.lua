-- Code that cannot yield (a __tostring metamethod, which tostring calls from
-- C) cannot be preempted: the
-- kernel lets it run on, and after 10 s it gets "too long without yielding"
-- and ends alone; its parent and init carry on. (The same rule with a short
-- limit, inside coroutines, is covered by the vm unit tests.)
-- expect-out: too long ok
local process = require("system.process")
local check = require("lib.check")

local t0 = os.clock()
local stuck = process.startString([[
  tostring(setmetatable({}, {__tostring = function() while true do end end}))
]], "stuck")
local _, info
repeat _, info = os.pullEvent("process_complete") until info.id == stuck
check.eq(info.status, 1, "status")
check.truthy(info.error:find("too long without yielding", 1, true), "message: " .. info.error)
check.truthy(os.clock() - t0 >= 9.5, "after about 10 s")
print("too long ok")
