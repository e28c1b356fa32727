-- ipcdemo: processes talking through system.ipc.
--
-- A "clock" service answers requests from several clients; a worker is
-- stopped and continued; a signal handler runs; a child that misbehaves ends
-- alone. Run it with `moonbox --headless /path/to/ipcdemo.lua` or from the
-- shell; add --trace FILE to see every message as JSON.
local ipc = require("system.ipc")
local process = require("system.process")
local me = process.getpid()
local clients = tonumber((...)) or 3

print(("ipcdemo: pid %d starting a service and %d clients"):format(me, clients))

-- The service: registers a name and answers "time?" with a reply to the
-- sender, until told to quit.
local service = process.startString([[
  local ipc = require("system.ipc")
  assert(ipc.register("clock"), "clock already taken")
  ipc.sigaction(ipc.signal.SIGUSR1, function(sig)
    print("  clock: got signal " .. sig .. " in a handler, carrying on")
  end)
  local served = 0
  while true do
    local event, param, from = ipc.receiveEvent(nil, nil)
    if event == "time?" then
      served = served + 1
      ipc.sendEvent(from, "time", {seq = param.seq, clock = os.clock(), served = served})
    elseif event == "quit" then
      print("  clock: served " .. served .. " requests, bye")
      return
    end
  end
]], "clock")

-- Wait until the service owns its name.
while not ipc.lookup("clock") do process.sleep(0.01) end
print("service 'clock' is pid " .. ipc.lookup("clock"))

-- Clients: each asks three times and reports the replies.
local pids = {}
for c = 1, clients do
  pids[c] = process.startString([[
    local ipc = require("system.ipc")
    local c = ...
    for seq = 1, 3 do
      ipc.sendServiceEvent("clock", "time?", {seq = seq})
      local _, reply = ipc.receiveEvent(ipc.lookup("clock"), "time", 2)
      print(("  client %d: reply %d at %.3f (request #%d served)"):format(c, reply.seq, reply.clock, reply.served))
    end
  ]], "client" .. c, c)
end
for c = 1, clients do process.wait(pids[c]) end

-- Signals: a handler runs inside the blocked service, which then goes on.
ipc.kill(service, ipc.signal.SIGUSR1)
process.sleep(0.05)

-- A busy worker is stopped and continued.
local worker = process.startString([[
  local n = 0
  while true do n = n + 1 end
]], "worker")
process.sleep(0.05)
ipc.kill(worker, ipc.signal.SIGSTOP)
print("worker " .. worker .. " is " .. process.getpinfo(worker).state)
ipc.kill(worker, ipc.signal.SIGCONT)
print("worker " .. worker .. " is " .. process.getpinfo(worker).state .. " again")
ipc.kill(worker, ipc.signal.SIGTERM)
print("worker ended with status " .. process.wait(worker))

-- A process that runs out of memory ends alone.
local hog = process.startString("local s = 'x' while true do s = s .. s end", "hog")
local _, info
repeat _, info = os.pullEvent("process_complete") until info.id == hog
print("hog ended with status " .. info.status .. ": " .. info.error)

ipc.sendServiceEvent("clock", "quit")
process.wait(service)
print("ipcdemo: done")
