-- bridge.broker_restart: prints each ping that arrives for a while.
local modem = periphemu.create("left", "modem") and peripheral.wrap("left")
modem.open(100)
local deadline = os.startTimer(tonumber(...) or 10)
while true do
  local event, side, channel, reply, message = os.pullEvent()
  if event == "timer" and side == deadline then break end
  if event == "modem_message" and channel == 100 then print(message) end
end
