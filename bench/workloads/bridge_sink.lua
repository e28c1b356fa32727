-- bench/bridge.py: counts the messages on channel 7; prints messages per
-- second between the first and the last, and how many arrived.
local n = tonumber(arg[1])
periphemu.create("left", "modem")
local m = peripheral.wrap("left")
m.open(7)
local got, first, last = 0, nil, nil
local ready = os.startTimer(0)
local deadline
while got < n do
  local e, a, channel = os.pullEvent()
  if e == "timer" and a == ready then
    m.transmit(8, 8, "ready")
    ready = os.startTimer(0.2)
    if first then ready = nil end
  elseif e == "timer" and a == deadline then
    break
  elseif e == "modem_message" and channel == 7 then
    got = got + 1
    first = first or os.clock()
    last = os.clock()
    if got == 1 then deadline = os.startTimer(30) end
  end
end
print(string.format("RESULT %.1f %d", got > 1 and (got - 1) / (last - first) or 0, got))
