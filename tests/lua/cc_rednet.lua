-- Two computers over rednet, headless: computer 0 (this program) starts
-- computer 1, whose startup.lua is an echo server. Messages are deep
-- copies, lookups find hosted names, broadcasts reach everyone, and a
-- message is not received twice although it goes out on two channels.
-- computer-file: 1 startup.lua rednet_echo.lua
-- expect-out: ready from 1
-- expect-out: lookup echo1 1
-- expect-out: lookup all 1
-- expect-out: echo 1 hi 2 nested echo
-- expect-out: copy kept true
-- expect-out: timeout nil
-- expect-out: loopback 0 self
-- expect-out: sender unchanged 2
-- expect-out: computer 1 on false
-- expect-err: [1] echo: up as 1
-- expect-err: [1] echo: from 0
local check = require("lib.check")
local function say(...)
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  print(table.concat(parts, " ", 1, parts.n))
end

assert(periphemu.create("back", "modem"))
rednet.open("back")
check.eq(rednet.isOpen("back"), true)
check.eq(rednet.isOpen(), true)
check.eq(rednet.isOpen("left"), false)
check.raises("No such modem: left", rednet.open, "left")

assert(periphemu.create(1, "computer"))
local computer = peripheral.wrap("computer_1")
check.eq(computer.getID(), 1)
check.eq(computer.isOn(), true)

local from, message, protocol = rednet.receive("status", 10)
print(message .. " from " .. tostring(from))

say("lookup echo1", rednet.lookup("echo", "echo1"))
say("lookup all", rednet.lookup("echo"))

local sent = {n = 1, s = "hi", inner = {"nested"}}
assert(rednet.send(1, sent, "echo"))
sent.n = 99  -- the receiver has its own copy
local id, reply, proto = rednet.receive("echo", 5)
say("echo", id, reply.s, reply.n + 1, reply.inner[1], proto)
say("copy kept", reply.n == 1)

say("timeout", rednet.receive("nothing", 0.2))
check.eq(select("#", rednet.broadcast("to everyone", "noise")), 0)  -- nothing, as CC's

rednet.send(os.getComputerID(), "self", "loop")
local me, text = rednet.receive("loop", 1)
say("loopback", me, text)

-- Each rednet message goes out on the recipient's channel and on the
-- repeat channel; with no repeater, it arrives once.
local count = 0
rednet.send(1, {n = 2}, "echo")
local t = os.startTimer(1)
while true do
  local event, a, b = os.pullEvent()
  if event == "rednet_message" and type(b) == "table" then count = count + 1 end
  if event == "timer" and a == t then break end
end
check.eq(count, 1)
say("sender unchanged", sent.n == 99 and 2 or 0)

-- modem_message: the raw event under rednet
local modem = peripheral.wrap("back")
modem.open(7)
check.eq(modem.isOpen(7), true)

rednet.send(1, "bye", "stop")
local deadline = os.clock() + 5
while computer.isOn() and os.clock() < deadline do sleep(0.1) end
say("computer 1 on", computer.isOn())
