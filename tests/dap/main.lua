-- The program the DAP test debugs; a pinger beside it exchanges messages all the time.
local process = require("system.process")
local pinger = process.startString([[
  local ipc = require("system.ipc")
  local process = require("system.process")
  local echo = process.startString("local ipc = require('system.ipc') while true do local _, p = ipc.receiveEvent(nil, 'ping') ipc.sendEvent(p.from, 'pong', {n = p.n}) end", "echo")
  local me = process.getpid()
  for n = 1, math.huge do
    ipc.sendEvent(echo, "ping", { from = me, n = n })
    ipc.receiveEvent(echo, "pong")
    if n % 500 == 0 then print("exchanged " .. n) end
  end
]], "pinger")
local function double(v)
  local r = v * 2
  return r
end
local x = 42
local t = { a = 1, b = { c = "deep" } }
local y = double(x)
print("y is", y)
print("x is", x, t.a)
require("system.ipc").kill(pinger, 9)
process.exit(3)
