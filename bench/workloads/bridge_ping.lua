-- bench/bridge.py: N rednet round trips to computer PEER; prints the round
-- trips per second and each round trip's time (kernel clock, seconds).
local peer, n, boot = tonumber(arg[1]), tonumber(arg[2]), arg[3]
if boot == "boot" then periphemu.create(peer, "computer") end  -- a second computer of this instance
periphemu.create("left", "modem")
rednet.open("left")
-- wait until the peer answers
while true do
  rednet.send(peer, "hello", "bench")
  if rednet.receive("bench", 0.2) then break end
end
local times = {}
local start = os.clock()
for i = 1, n do
  local t0 = os.clock()
  rednet.send(peer, i, "bench")
  local _, msg = rednet.receive("bench", 5)
  if msg ~= i then error("lost round trip " .. i) end
  times[i] = os.clock() - t0
end
local total = os.clock() - start
rednet.send(peer, "stop", "bench")
rednet.receive("bench", 1)
table.sort(times)
print(string.format("RESULT %.1f %.4f %.4f", n / total, times[math.ceil(n * 0.5)] * 1000, times[math.ceil(n * 0.99)] * 1000))
