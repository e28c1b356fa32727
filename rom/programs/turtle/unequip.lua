-- unequip: takes the turtle's left or right upgrade into a free slot, as CC's.
if not turtle then
  printError("Requires a Turtle")
  return
end

local args = { ... }
local name = arg[0] or fs.getName(shell.getRunningProgram())
local side = args[1]
if #args ~= 1 or (side ~= "left" and side ~= "right") then
  print("Usage: " .. name .. " <side>")
  return
end

-- The upgrade comes back into the selected slot, which must be empty.
for slot = 1, 16 do
  turtle.select(slot)
  if turtle.getItemCount(slot) == 0 then
    local unequip = side == "left" and turtle.equipLeft or turtle.equipRight
    unequip()
    if turtle.getItemCount(slot) > 0 then
      print("Item unequipped")
    else
      print("Nothing to unequip")
    end
    return
  end
end
print("No space to unequip item")
