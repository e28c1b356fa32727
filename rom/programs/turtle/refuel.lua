-- refuel: burns fuel from the turtle's inventory, as CC's.
if not turtle then
  printError("Requires a Turtle")
  return
end

local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())
if #args > 1 then
  print("Usage: " .. name .. " [number]")
  return
end

local limit = 1
if args[1] == "all" then
  limit = nil
elseif args[1] then
  limit = tonumber(args[1])
  if not limit then
    print("Invalid limit, expected a number or \"all\"")
    return
  end
end

if turtle.getFuelLevel() ~= "unlimited" then
  for slot = 1, 16 do
    local count = turtle.getItemCount(slot)
    if limit and limit <= 0 then break end
    if count > 0 then
      turtle.select(slot)
      local take = limit and math.min(limit, count) or count
      if turtle.refuel(take) ~= false and limit then limit = limit - take end
    end
  end
  print("Fuel level is " .. turtle.getFuelLevel())
  if turtle.getFuelLevel() == turtle.getFuelLimit() then print("Fuel limit reached") end
else
  print("Fuel level is unlimited")
end
