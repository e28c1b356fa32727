-- bridge.broadcast / bridge.hostile: one broadcast to every instance.
periphemu.create("left", "modem")
rednet.open("left")
sleep(0.3)
rednet.broadcast("hello everyone")
sleep(0.5)
