-- craft: crafts with the items in a crafty turtle's inventory, as CC's.
if not turtle then
  printError("Requires a Turtle")
  return
end
if not turtle.craft then
  print("Requires a Crafty Turtle")
  return
end

local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())
local limit
if args[1] == "all" then
  limit = 64
elseif #args == 1 and tonumber(args[1]) then
  limit = tonumber(args[1])
else
  print("Usage: " .. name .. " all|<number>")
  return
end

-- What the selected slot holds before and after tells how many were made:
-- when it held no more than the limit, the slot now holds only the result;
-- otherwise the ingredients used up are the count.
local slot = turtle.getSelectedSlot()
local before = turtle.getItemCount(slot)
local crafted = 0
if turtle.craft(limit) then
  local after = turtle.getItemCount(slot)
  crafted = before <= limit and after or before - after
end
if crafted > 1 then
  print(crafted .. " items crafted")
elseif crafted == 1 then
  print("1 item crafted")
else
  print("No items crafted")
end
