-- gps locate | gps host [x y z]: finds this computer's position, or answers
-- other computers' requests with it, as CC's gps program.
local args = {...}
local name = arg and arg[0] or "gps"

local function usage()
  print("Usages:")
  print(name .. " host")
  print(name .. " host <x> <y> <z>")
  print(name .. " locate")
end

local command = args[1]
if command == "locate" then
  gps.locate(2, true)
elseif command == "host" then
  if pocket then
    print("GPS Hosts must be stationary")
    return
  end
  local side
  for _, s in ipairs(redstone.getSides()) do
    if peripheral.getType(s) == "modem" and peripheral.call(s, "isWireless") then
      side = s
      break
    end
  end
  if not side then
    print("No wireless modems found. 1 required.")
    return
  end
  local x, y, z
  if #args >= 4 then
    x, y, z = tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
    if not (x and y and z) then
      usage()
      return
    end
    print(("Position is %s,%s,%s"):format(x, y, z))
  else
    x, y, z = gps.locate(2, true)
    if not x then
      print("Run \"gps host <x> <y> <z>\" to set position manually")
      return
    end
  end
  local modem = peripheral.wrap(side)
  print("Opening channel on modem " .. side)
  modem.open(gps.CHANNEL_GPS)
  print("Serving GPS requests")
  local served = 0
  while true do
    local _, at, channel, reply, message = os.pullEvent("modem_message")
    if at == side and channel == gps.CHANNEL_GPS and message == "PING" and reply then
      modem.transmit(reply, gps.CHANNEL_GPS, {x, y, z})
      served = served + 1
      if served > 1 then
        local _, row = term.getCursorPos()
        term.setCursorPos(1, row - 1)
      end
      print(served .. " GPS requests served")
    end
  end
else
  usage()
end
