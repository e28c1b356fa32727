-- Fan-in: C clients each send R requests to one service and wait for replies.
local ipc = require("system.ipc")
local process = require("system.process")
local clients, rounds = ...
local service = process.startString([[
  local ipc = require("system.ipc")
  ipc.register("adder")
  local total = ...
  for i = 1, total do
    local ev, p, from = ipc.receiveEvent(nil, "add")
    ipc.sendEvent(from, "sum", {v = p.a + p.b})
  end
]], "adder", clients * rounds)
process.sleep(0)
local pids = {}
for c = 1, clients do
  pids[c] = process.startString([[
    local ipc = require("system.ipc")
    local rounds = ...
    local svc = ipc.lookup("adder")
    for r = 1, rounds do
      ipc.sendServiceEvent("adder", "add", {a = r, b = 1})
      ipc.receiveEvent(svc, "sum")
    end
  ]], "client", rounds)
end
for c = 1, clients do process.wait(pids[c]) end
process.wait(service)
