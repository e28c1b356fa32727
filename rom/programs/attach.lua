-- attach <side> <type> [argument]: attaches an emulated peripheral, as
-- CraftOS-PC's attach (periphemu.create). A number as the side names a
-- computer: `attach 2 computer` starts computer 2.
local args = {...}
if #args < 2 then
  print("Usage: attach <side> <type> [options...]")
  print("Types: " .. table.concat(periphemu.names(), ", "))
  return
end
local side = tonumber(args[1]) or args[1]
local ok, why = periphemu.create(side, args[2], args[3])
if not ok then printError("Could not attach peripheral" .. (why and ": " .. why or "")) end
