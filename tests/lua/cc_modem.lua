-- The modem peripheral: channels (limits, errors), transmit between modems
-- of the same computer, modem_message's values, deep copies, wireless and
-- wired modems on separate media, and the message size limit.
-- expect-out: done
-- expect-trace: "kind":"modem_sent"
-- expect-trace: "kind":"modem_received"
local check = require("lib.check")

assert(periphemu.create("left", "modem"))
assert(periphemu.create("right", "modem"))
assert(periphemu.create("top", "modem", "wired"))
assert(periphemu.create("bottom", "modem", "wired"))
local left, right = peripheral.wrap("left"), peripheral.wrap("right")
local top, bottom = peripheral.wrap("top"), peripheral.wrap("bottom")

-- channels
check.eq(right.isOpen(5), false)
right.open(5)
right.open(5.9)  -- the whole part
check.eq(right.isOpen(5), true)
check.raises("Channel out of range", right.open, -1)
check.raises("Channel out of range", right.open, 65536)
check.raises("bad argument #1 (number expected, got nil)", right.open)
check.raises("bad argument #2 (number expected, got string)", left.transmit, 1, "x", "m")
for ch = 100, 226 do right.open(ch) end
check.raises("Too many open channels", right.open, 300)
right.closeAll()
check.eq(right.isOpen(100), false)
right.open(5)

-- a message from left reaches right (same computer, same medium), a copy
local payload = {text = "hi", list = {1, 2, 3}}
left.transmit(5, 6, payload)
payload.text = "changed"
local event, side, channel, reply, message, distance = os.pullEvent("modem_message")
check.eq(side, "right")
check.eq(channel, 5)
check.eq(reply, 6)
check.eq(message.text, "hi")
check.eq(message.list[3], 3)
check.eq(type(distance), "number")
check.eq(message == payload, false)

-- What arrives within a short while.
local function heard(seconds)
  local got = {}
  local timer = os.startTimer(seconds or 0.2)
  while true do
    local e = table.pack(os.pullEvent())
    if e[1] == "modem_message" then got[#got + 1] = e end
    if e[1] == "timer" and e[2] == timer then return got end
  end
end

-- the sender never hears itself; a closed channel hears nothing
left.open(5)
right.close(5)
left.transmit(5, 5, "nobody")
check.eq(#heard(), 0)

-- wireless and wired are separate media
right.open(9)
bottom.open(9)
top.transmit(9, 9, "on the cable")
local got = heard()
check.eq(#got, 1)
check.eq(got[1][2], "bottom")
check.eq(got[1][5], "on the cable")
left.transmit(9, 9, "in the air")
got = heard()
check.eq(#got, 1)
check.eq(got[1][2], "right")

-- values that cannot be copied, and the size limit of messages
check.raises("cannot send", left.transmit, 9, 9, {f = print})
check.raises("too large", left.transmit, 9, 9, string.rep("x", 2 * 1024 * 1024))
check.eq(#heard(0.1), 0)

-- nil and plain values go as they are
left.transmit(9, 1, nil)
left.transmit(9, 1, 42)
got = heard()
check.eq(#got, 2)
check.eq(got[1][5], nil)
check.eq(got[2][5], 42)
print("done")
