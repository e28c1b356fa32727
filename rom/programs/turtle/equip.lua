-- equip: puts the item in a slot on the turtle's left or right, as CC's.
if not turtle then
  printError("Requires a Turtle")
  return
end

local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())
local slot, side = tonumber(args[1]), args[2]
if #args ~= 2 or not slot or (side ~= "left" and side ~= "right") then
  print("Usage: " .. name .. " <slot> <side>")
  return
end

turtle.select(slot)
local before = turtle.getItemCount(slot)
if before == 0 then
  print("Nothing to equip")
  return
end
local equip = side == "left" and turtle.equipLeft or turtle.equipRight
if not equip() then
  print("Item not equippable")
elseif turtle.getItemCount(slot) == 0 then
  print("Item equipped")
else
  print("Items swapped")
end
