-- bridge.broker_restart: a ping every 0.2 s over the bridge, and local
-- traffic between two modems of this computer all along.
periphemu.create("left", "modem")
periphemu.create("right", "modem")
local left, right = peripheral.wrap("left"), peripheral.wrap("right")
right.open(5)
local seconds = tonumber(...) or 10
local n, lost = 0, 0
for i = 1, math.floor(seconds / 0.2) do
  left.transmit(100, 100, i)
  left.transmit(5, 5, i)
  local timer = os.startTimer(0.2)
  while true do
    local event, a = os.pullEvent()
    if event == "modem_message" and a == "right" then n = n + 1 end
    if event == "timer" and a == timer then break end
  end
end
print("still local " .. n)
