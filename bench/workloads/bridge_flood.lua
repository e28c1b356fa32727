-- bench/bridge.py: N modem messages on channel 7 as fast as they go, after
-- the sink says it listens (channel 8).
local n = tonumber(arg[1])
periphemu.create("left", "modem")
local m = peripheral.wrap("left")
m.open(8)
os.pullEvent("modem_message")
for i = 1, n do
  m.transmit(7, 7, i)
  if i % 500 == 0 then os.queueEvent("yield") os.pullEvent("yield") end
end
