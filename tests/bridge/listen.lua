-- bridge.broadcast / bridge.hostile: hears one rednet message.
periphemu.create("left", "modem")
rednet.open("left")
local id, msg = rednet.receive(nil, 20)
print("heard", id, msg)
