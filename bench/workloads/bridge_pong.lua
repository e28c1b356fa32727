-- bench/bridge.py: answers every rednet message with itself, until "stop".
periphemu.create("left", "modem")
rednet.open("left")
while true do
  local id, msg = rednet.receive("bench")
  rednet.send(id, msg, "bench")
  if msg == "stop" then break end
end
