-- Two processes play ping-pong through system.ipc; the third value of
-- receiveEvent is the sender, which the pong side uses to reply.
-- expect-out: pong 100 from child
-- expect-trace: "kind":"event_received"
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")

local child = process.startString([[
  local ipc = require("system.ipc")
  while true do
    local event, param, from = ipc.receiveEvent(nil, "ping")
    if param.stop then break end
    ipc.sendEvent(from, "pong", {n = param.n})
  end
]], "ponger")
check.truthy(child, "child pid")

for i = 1, 100 do
  check.eq(ipc.sendEvent(child, "ping", {n = i}), true, "sendEvent")
  local event, param, from = ipc.receiveEvent(child, "pong")
  check.eq(event, "pong", "event")
  check.eq(param.n, i, "round")
  check.eq(from, child, "sender")
  if i == 100 then print("pong " .. param.n .. " from child") end
end
ipc.sendEvent(child, "ping", {stop = true})
check.eq(process.wait(child, 5), 0, "child status")
