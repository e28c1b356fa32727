-- gps: CC's GPS API. A computer finds its position from the distances of
-- modem messages sent by computers that know theirs (gps host): it sends
-- "PING" on CHANNEL_GPS; each host answers with its {x, y, z}, and the
-- message's distance is how far away it is. Three answers not on one line
-- give two candidate points; a fourth picks one.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local gps = {}

--- The channel GPS requests and answers travel on.
gps.CHANNEL_GPS = 65534

local function round(v) return v:round(0.01) end

-- The points at distance a.distance from a.position, b.distance from
-- b.position and c.distance from c.position: one, two, or none when the
-- three centres lie on a line.
local function trilaterate(a, b, c)
  local ab, ac = b.position - a.position, c.position - a.position
  if math.abs(ab:normalize():dot(ac:normalize())) > 0.999 then return nil end
  local d = ab:length()
  local ex = ab:normalize()
  local i = ex:dot(ac)
  local ey = (ac - ex * i):normalize()
  local j = ey:dot(ac)
  local ez = ex:cross(ey)
  local r1, r2, r3 = a.distance, b.distance, c.distance
  local x = (r1 * r1 - r2 * r2 + d * d) / (2 * d)
  local y = (r1 * r1 - r3 * r3 - x * x + (x - i) * (x - i) + j * j) / (2 * j)
  local base = a.position + ex * x + ey * y
  local z_squared = r1 * r1 - x * x - y * y
  if z_squared > 0 then
    local z = math.sqrt(z_squared)
    local p1, p2 = round(base + ez * z), round(base - ez * z)
    if p1.x ~= p2.x or p1.y ~= p2.y or p1.z ~= p2.z then return p1, p2 end
    return p1
  end
  return round(base)
end

-- Of two candidates, the one that agrees with another fix (both, when it
-- cannot tell them apart).
local function narrow(p1, p2, fix)
  local d1 = math.abs((p1 - fix.position):length() - fix.distance)
  local d2 = math.abs((p2 - fix.position):length() - fix.distance)
  if math.abs(d1 - d2) < 0.01 then return p1, p2 end
  if d1 < d2 then return round(p1) end
  return round(p2)
end

--- Finds this computer's position: x, y, z, or nil when it cannot (no
-- wireless modem, too few hosts answering within `timeout` seconds, or an
-- ambiguous answer). With `debug`, says what it does.
function gps.locate(timeout, debug)
  expect(1, timeout, "number", "nil")
  expect(2, debug, "boolean", "nil")
  timeout = timeout or 2
  local side
  for _, s in ipairs(redstone.getSides()) do
    if peripheral.getType(s) == "modem" and peripheral.call(s, "isWireless") then
      side = s
      break
    end
  end
  if not side then
    if debug then print("No wireless modem attached") end
    return nil
  end
  if debug then print("Finding position...") end
  local modem = peripheral.wrap(side)
  local opened = not modem.isOpen(gps.CHANNEL_GPS)
  if opened then modem.open(gps.CHANNEL_GPS) end
  modem.transmit(gps.CHANNEL_GPS, gps.CHANNEL_GPS, "PING")

  local fixes, p1, p2 = {}, nil, nil
  local timer = os.startTimer(timeout)
  while true do
    local event, a, channel, reply, message, distance = os.pullEvent()
    if event == "modem_message" then
      if a == side and channel == gps.CHANNEL_GPS and reply == gps.CHANNEL_GPS and type(distance) == "number"
          and type(message) == "table" and #message == 3
          and tonumber(message[1]) and tonumber(message[2]) and tonumber(message[3]) then
        local fix = {position = vector.new(tonumber(message[1]), tonumber(message[2]), tonumber(message[3])),
                     distance = distance}
        if debug then print(fix.distance .. " metres from " .. tostring(fix.position)) end
        if fix.distance == 0 then
          p1, p2 = fix.position, nil
        else
          fixes[#fixes + 1] = fix
          if #fixes >= 3 then
            if not p1 then p1, p2 = trilaterate(fixes[1], fixes[2], fixes[#fixes])
            elseif p2 then p1, p2 = narrow(p1, p2, fixes[#fixes]) end
          end
        end
        if p1 and not p2 then break end
      end
    elseif event == "timer" and a == timer then
      break
    end
  end
  if opened then modem.close(gps.CHANNEL_GPS) end

  if p1 and p2 then
    if debug then
      print("Ambiguous position")
      print(("Could be %s,%s,%s or %s,%s,%s"):format(p1.x, p1.y, p1.z, p2.x, p2.y, p2.z))
    end
    return nil
  elseif p1 then
    if debug then print(("Position is %s,%s,%s"):format(p1.x, p1.y, p1.z)) end
    return p1.x, p1.y, p1.z
  end
  if debug then print("Could not determine position") end
  return nil
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(gps) do _ENV[k] = v end end
return gps
