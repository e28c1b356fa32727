-- ipcdemo [once] [clients]: processes talking through system.ipc.
--
-- A "clock" service answers requests from several clients; a handler runs
-- when the service gets SIGUSR1; a worker is stopped (and, once, continued);
-- a process that runs out of memory ends alone. Without "once" it keeps
-- going until Ctrl+C, so the debugger (F12) has live traffic to show.
local ipc = require("system.ipc")
local process = require("system.process")
local args = {...}
local once = args[1] == "once"
local clients = tonumber(args[once and 2 or 1]) or 3
local me = process.getpid()
local children = {}

local function spawn(source, name, ...)
  local pid = assert(process.startString(source, name, ...))
  children[#children + 1] = pid
  return pid
end

-- Ctrl+C ends the demo and everything it started.
ipc.sigaction(ipc.signal.SIGINT, function()
  for _, pid in ipairs(children) do pcall(ipc.kill, pid, ipc.signal.SIGKILL) end
  print("ipcdemo: stopped")
  process.exit(130)
end)

print(("ipcdemo: pid %d starting a service and %d clients"):format(me, clients))

-- The service: registers a name and answers "time?" with a reply to the
-- sender, until told to quit.
local service = spawn([[
  local ipc = require("system.ipc")
  assert(ipc.register("clock"), "clock already taken")
  ipc.sigaction(ipc.signal.SIGUSR1, function(sig)
    print("  clock: signal " .. sig .. " ran a handler")
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

while not ipc.lookup("clock") do process.sleep(0.01) end
print("service 'clock' is pid " .. service)

-- Clients: each asks the clock for the time (three times, or forever).
local client_pids = {}
for c = 1, clients do
  client_pids[c] = spawn([[
    local ipc = require("system.ipc")
    local process = require("system.process")
    local c, forever = ...
    local seq = 0
    while forever or seq < 3 do
      seq = seq + 1
      ipc.sendServiceEvent("clock", "time?", {seq = seq, client = c})
      local _, reply = ipc.receiveEvent(ipc.lookup("clock"), "time", 2)
      if reply and (seq <= 3) then
        print(("  client %d: reply %d at %.3f (request #%d)"):format(c, reply.seq, reply.clock, reply.served))
      end
      if forever then process.sleep(0.3 + c * 0.1) end
    end
  ]], "client" .. c, c, not once)
end

-- A worker that computes, which we stop.
local worker = spawn([[
  local n = 0
  while true do n = n + 1 end
]], "worker")

process.sleep(0.05)
ipc.kill(service, ipc.signal.SIGUSR1)
ipc.kill(worker, ipc.signal.SIGSTOP)
print("worker " .. worker .. " is " .. process.getpinfo(worker).state)

-- A process that runs out of memory ends alone.
local hog = spawn("local s = 'x' while true do s = s .. s end", "hog")
local _, info
repeat _, info = os.pullEvent("process_complete") until info.id == hog
print("hog ended with status " .. info.status .. ": " .. info.error)

if once then
  for c = 1, clients do process.wait(client_pids[c]) end
  ipc.kill(worker, ipc.signal.SIGCONT)
  print("worker " .. worker .. " is " .. process.getpinfo(worker).state .. " again")
  ipc.kill(worker, ipc.signal.SIGTERM)
  print("worker ended with status " .. process.wait(worker))
  ipc.sendServiceEvent("clock", "quit")
  process.wait(service)
  print("ipcdemo: done")
  return
end

print("ipcdemo: running; Ctrl+C stops it (in the window, F12 shows the debugger)")
while true do
  process.sleep(2)
  ipc.kill(service, ipc.signal.SIGUSR1)
end
