-- The program tests/emulator/check_chrome_trace.cmake traces: a ping-pong
-- between two processes, a service and a signal.
local ipc = require("system.ipc")
local process = require("system.process")
local child = process.startString([[
  local ipc = require("system.ipc")
  ipc.register("echo")
  local event, param, from = ipc.receiveEvent(nil, "ping")
  ipc.sendEvent(from, "pong", {n = param.n + 1})
]], "ponger")
process.sleep(0.01)
ipc.sendEvent(child, "ping", {n = 1})
local event, param, from = ipc.receiveEvent(child, "pong", 5)
ipc.kill(child, ipc.signal.SIGTERM)
print(event, param.n)
