-- eject <drive>: ejects the disk in a drive, as CC's.
local args = {...}
if #args < 1 then
  print("Usage: " .. (arg and arg[0] or "eject") .. " <drive>")
  return
end
if not disk.isPresent(args[1]) then
  print("Nothing in " .. args[1] .. " drive")
  return
end
disk.eject(args[1])
