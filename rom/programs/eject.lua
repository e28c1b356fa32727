-- eject <side>: ejects the disk in a drive.
local args = {...}
if #args < 1 then
  print("Usage: eject <drive>")
  return
end
if not disk.isPresent(args[1]) then
  print("Nothing to eject")
  return
end
disk.eject(args[1])
