-- excavate: digs a square hole down to bedrock, as CC's: excavate <diameter>
-- It comes back up when its inventory is full or its fuel runs low, and
-- empties into a chest behind where it started.
if not turtle then
  printError("Requires a Turtle")
  return
end

local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())
local size = tonumber(args[1])
if #args ~= 1 or not size or size < 1 then
  print("Usage: " .. name .. " <diameter>")
  return
end

-- Position relative to the start, facing +z first.
local x, y, z, dx, dz = 0, 0, 0, 0, 1
local collected = 0

local function turn_left() turtle.turnLeft() dx, dz = -dz, dx end
local function turn_right() turtle.turnRight() dx, dz = dz, -dx end
local function face(wx, wz) while dx ~= wx or dz ~= wz do turn_left() end end

local function full()
  for slot = 1, 16 do if turtle.getItemCount(slot) == 0 then return false end end
  return true
end

local function dig(detect, dig_fn)
  while detect() do
    if not dig_fn() then return false end
    collected = collected + 1
  end
  return true
end

local function move(move_fn, detect, dig_fn)
  while not move_fn() do
    if not dig(detect, dig_fn) then return false end
    if turtle.getFuelLevel() == 0 then return false end
    turtle.attack()
  end
  return true
end

local function forward()
  if not move(turtle.forward, turtle.detect, turtle.dig) then return false end
  x, z = x + dx, z + dz
  return true
end
local function down()
  if not move(turtle.down, turtle.detectDown, turtle.digDown) then return false end
  y = y - 1
  return true
end

local function go_home()
  while y < 0 do if turtle.up() then y = y + 1 else turtle.digUp() end end
  if x ~= 0 then face(x > 0 and -1 or 1, 0) while x ~= 0 do forward() end end
  if z ~= 0 then face(0, z > 0 and -1 or 1) while z ~= 0 do forward() end end
  face(0, -1)
  for slot = 1, 16 do
    turtle.select(slot)
    turtle.drop()
  end
  turtle.select(1)
  face(0, 1)
end

print("Excavating...")
local done = false
while not done do
  for row = 1, size do
    for _ = 1, size - 1 do
      if full() or not forward() then done = true break end
    end
    if done or row == size then break end
    local turn = (row % 2 == 1) == (y % 2 == 0) and turn_right or turn_left
    turn()
    if not forward() then done = true break end
    turn()
  end
  if done or not down() then break end
  turn_left() turn_left()
end
print("Returning to surface...")
go_home()
print("Mined " .. collected .. " items total.")
