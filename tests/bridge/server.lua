-- bridge.rednet: a rednet host on one instance.
periphemu.create("left", "modem")
rednet.open("left")
rednet.host("chat", "server")
local id, msg, proto = rednet.receive("chat", 30)
print("got", id, textutils.serialise(msg, { compact = true }), proto)
rednet.send(id, { reply = msg.n * 2, f = 1.5, i = 3 }, "chat")
sleep(1)
