-- Positions, distances and gps (issue 23): computers 1-4 host GPS at the
-- positions their configurations give; this one finds its own.
-- expect-out: gps ok
-- computer-file: 1 .moonbox/config.json gps_host1.json
-- computer-file: 2 .moonbox/config.json gps_host2.json
-- computer-file: 3 .moonbox/config.json gps_host3.json
-- computer-file: 4 .moonbox/config.json gps_host4.json
-- computer-file: 1 startup.lua gps_host_startup.lua
-- computer-file: 2 startup.lua gps_host_startup.lua
-- computer-file: 3 startup.lua gps_host_startup.lua
-- computer-file: 4 startup.lua gps_host_startup.lua
local check = require("lib.check")

check.eq(periphemu.getPosition(), nil, "no position by default")
check.eq(gps.CHANNEL_GPS, 65534)
check.eq(gps.locate(0.1), nil, "no modem")
periphemu.setPosition(3, 4, 5)
check.same({periphemu.getPosition()}, {3, 4, 5})
assert(periphemu.create("back", "modem"))
for id = 1, 4 do assert(periphemu.create(id, "computer")) end
sleep(1.5)  -- the hosts boot and open their channel

local x, y, z = gps.locate(2)
check.same({x, y, z}, {3, 4, 5}, "located")

-- a modem message carries the distance between the computers
local modem = peripheral.wrap("back")
modem.open(gps.CHANNEL_GPS + 1)
modem.transmit(gps.CHANNEL_GPS, gps.CHANNEL_GPS + 1, "PING")
local _, _, _, _, message, distance = os.pullEvent("modem_message")
local dx, dy, dz = 3 - message[1], 4 - message[2], 5 - message[3]
check.truthy(math.abs(distance - math.sqrt(dx * dx + dy * dy + dz * dz)) < 1e-9, "distance " .. tostring(distance))

-- out of range (64 blocks, CC's): nobody hears, nothing is found
periphemu.setPosition(1000, 0, 0)
check.eq(gps.locate(0.5), nil, "out of range")
print("gps ok")
