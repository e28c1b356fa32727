-- tunnel: digs a 3x2 tunnel forward, as CC's: tunnel <length>
if not turtle then
  printError("Requires a Turtle")
  return
end

local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())
local length = tonumber(args[1])
if #args ~= 1 or not length or length < 1 then
  print("Usage: " .. name .. " <length>")
  return
end

local collected = 0
local function dig(detect, dig_fn)
  while detect() do
    if dig_fn() then collected = collected + 1 else return false end
    sleep(0.5)  -- falling sand and gravel
  end
  return true
end

local function forward()
  while not turtle.forward() do
    if not dig(turtle.detect, turtle.dig) and turtle.getFuelLevel() == 0 then
      print("Out of fuel")
      return false
    end
    turtle.attack()
  end
  return true
end

print("Tunnelling...")
local dug = 0
for _ = 1, length do
  dig(turtle.detectUp, turtle.digUp)
  turtle.turnLeft()
  dig(turtle.detect, turtle.dig)
  turtle.turnRight()
  turtle.turnRight()
  dig(turtle.detect, turtle.dig)
  turtle.turnLeft()
  dig(turtle.detect, turtle.dig)
  if not forward() then break end
  dug = dug + 1
end
print("Returning to start...")
turtle.turnLeft()
turtle.turnLeft()
for _ = 1, dug do turtle.forward() end
turtle.turnLeft()
turtle.turnLeft()
print("Tunnel complete.")
print("Mined " .. collected .. " items total.")
