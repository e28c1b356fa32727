-- detach <side>: removes an emulated peripheral, as CraftOS-PC's detach
-- (periphemu.remove). A computer detached this way keeps running.
local args = {...}
if #args < 1 then
  print("Usage: detach <side>")
  return
end
if not periphemu.remove(tonumber(args[1]) or args[1]) then printError("Could not detach peripheral") end
