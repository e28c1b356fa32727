-- Ping-pong: N round trips between two processes (2N messages).
local ipc = require("system.ipc")
local process = require("system.process")
local n = ...
local child = process.startString([[
  local ipc = require("system.ipc")
  while true do
    local ev, p, from = ipc.receiveEvent(nil, "ping")
    if p.stop then return end
    ipc.sendEvent(from, "pong", {n = p.n, s = p.s})
  end
]], "ponger")
for i = 1, n do
  ipc.sendEvent(child, "ping", {n = i, s = "hello"})
  ipc.receiveEvent(child, "pong")
end
ipc.sendEvent(child, "ping", {stop = true})
process.wait(child)
