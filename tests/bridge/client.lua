-- bridge.rednet: a client on another instance finds the host with
-- rednet.lookup, sends, and gets an answer; then a receive times out.
periphemu.create("left", "modem")
rednet.open("left")
local server
for _ = 1, 50 do
  server = rednet.lookup("chat", "server")
  if server then break end
  sleep(0.1)
end
print("lookup", server)
rednet.send(server, { n = 21, s = "a\0b" }, "chat")
local id, msg = rednet.receive("chat", 10)
print("reply", id, msg and msg.reply, msg and math.type(msg.i), msg and math.type(msg.f))
print("timeout", rednet.receive("nothing", 0.3))
