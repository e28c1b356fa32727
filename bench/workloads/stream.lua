-- A one-way stream of N small tables; the sink acknowledges every 1000.
local ipc = require("system.ipc")
local process = require("system.process")
local n = ...
local sink = process.startString([[
  local ipc = require("system.ipc")
  local n, parent = ...
  for i = 1, n do
    local ev, p = ipc.receiveEvent(nil, "item")
    if i % 1000 == 0 then ipc.sendEvent(parent, "ack", {i = i}) end
  end
  ipc.sendEvent(parent, "ack", {done = true})
]], "sink", n, process.getpid())
local outstanding = 0
for i = 1, n do
  ipc.sendEvent(sink, "item", {n = i, s = "hello"})
  outstanding = outstanding + 1
  if outstanding >= 2000 then  -- keep well under the 4096 queue bound
    ipc.receiveEvent(sink, "ack")
    outstanding = outstanding - 1000
  end
end
repeat local _, p = ipc.receiveEvent(sink, "ack") until p.done
process.wait(sink)
