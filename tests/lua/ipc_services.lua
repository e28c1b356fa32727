-- A service with several clients: register, lookup, sendServiceEvent,
-- replies by sender pid, names freed when the owner exits.
-- expect-out: services ok
-- expect-trace: "kind":"service_registered"
-- expect-trace: "kind":"service_released"
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()

check.eq(ipc.lookup("adder"), nil, "no owner yet")
check.eq(ipc.sendServiceEvent("adder", "add", {1, 2}), false, "no owner: false")

local service = process.startString([[
  local ipc = require("system.ipc")
  assert(ipc.register("adder"))
  assert(ipc.register("adder"))        -- again: still true
  assert(ipc.register("adder.v2"))     -- a process may own many names
  ipc.sendEvent(..., "ready", {})
  local served = 0
  while true do
    local event, p, from = ipc.receiveEvent(nil, "add")
    if p.quit then break end
    ipc.sendEvent(from, "sum", {id = p.id, sum = p[1] + p[2]})
    served = served + 1
  end
  ipc.sendEvent(..., "served", {n = served})
]], "adder", me)
ipc.receiveEvent(service, "ready", 5)
check.eq(ipc.lookup("adder"), service, "lookup")
check.eq(ipc.lookup("adder.v2"), service, "second name")
check.eq(ipc.register("adder"), false, "taken by another process")
local info = process.getpinfo(service)
check.eq(#info.services, 2, "services in getpinfo")

-- Five clients, each with three requests.
local clients = {}
for c = 1, 5 do
  clients[c] = process.startString([[
    local ipc = require("system.ipc")
    local c, parent = ...
    for i = 1, 3 do
      assert(ipc.sendServiceEvent("adder", "add", {c, i, id = c * 10 + i}))
      local _, reply = ipc.receiveEvent(ipc.lookup("adder"), "sum", 5)
      assert(reply and reply.id == c * 10 + i and reply.sum == c + i, "bad reply")
    end
    ipc.sendEvent(parent, "client-done", {c = c})
  ]], "client" .. c, c, me)
end
local done = 0
for _ = 1, 5 do
  local ev = ipc.receiveEvent(nil, "client-done", 10)
  check.eq(ev, "client-done", "client finished")
  done = done + 1
end
for c = 1, 5 do check.eq(process.wait(clients[c], 5), 0, "client " .. c .. " status") end
ipc.sendServiceEvent("adder", "add", {quit = true})
local _, served = ipc.receiveEvent(service, "served", 5)
check.eq(served.n, 15, "requests served")
process.wait(service, 5)
check.eq(ipc.lookup("adder"), nil, "freed on exit")
check.eq(ipc.lookup("adder.v2"), nil, "all names freed")

-- Our own names, and unregister (a moonbox extra).
check.eq(ipc.register("mine"), true, "register")
check.eq(ipc.lookup("mine"), me, "lookup own")
check.eq(ipc.sendServiceEvent("mine", "hello", {x = 1}), true, "send to own service")
local ev, p, from = ipc.receiveEvent(nil, "hello", 1)
check.eq(p.x, 1, "service event param"); check.eq(from, me, "service sender")
check.eq(ipc.unregister("mine"), true, "unregister")
check.eq(ipc.lookup("mine"), nil, "gone")

check.raises("bad argument #1 to 'register' (string expected, got nil)", ipc.register)
check.raises("bad argument #1 to 'register' (service name must not be empty)", ipc.register, "")
check.raises("bad argument #1 to 'lookup' (string expected, got table)", ipc.lookup, {})
check.raises("bad argument #1 to 'sendServiceEvent' (string expected, got nil)", ipc.sendServiceEvent)
check.raises("bad argument #2 to 'sendServiceEvent' (string expected, got nil)", ipc.sendServiceEvent, "adder")
check.raises("bad argument #3 to 'sendServiceEvent' (cannot send a function (at param.f))",
  ipc.sendServiceEvent, "adder", "x", {f = print})
print("services ok")
