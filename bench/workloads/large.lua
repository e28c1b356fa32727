-- Large messages: N round trips of a 64 KiB string and a nested table.
local ipc = require("system.ipc")
local process = require("system.process")
local n = ...
local big = string.rep("x", 64 * 1024)
local nested = {}
for i = 1, 200 do nested[i] = {id = i, name = "item" .. i, tags = {"a", "b", "c"}, pos = {x = i, y = -i}} end
local child = process.startString([[
  local ipc = require("system.ipc")
  while true do
    local ev, p, from = ipc.receiveEvent(nil, "big")
    if p.stop then return end
    ipc.sendEvent(from, "back", p)
  end
]], "echo")
for i = 1, n do
  ipc.sendEvent(child, "big", {s = big, t = nested})
  ipc.receiveEvent(child, "back")
end
ipc.sendEvent(child, "big", {stop = true})
process.wait(child)
