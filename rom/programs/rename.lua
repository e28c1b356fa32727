-- rename <source> <destination>: renames a file or directory.
local args = {...}
if #args < 2 then
  print("Usage: rename <source> <destination>")
  return
end
local source = shell.resolve(args[1])
local dest = shell.resolve(args[2])
if not fs.exists(source) then
  printError("No matching files")
  return
end
if fs.isDriveRoot(source) then
  printError("Can't rename mounts")
  return
end
if fs.isReadOnly(source) then
  printError("Source is read-only")
  return
end
if fs.exists(dest) then
  printError("Destination exists")
  return
end
if fs.isReadOnly(dest) then
  printError("Destination is read-only")
  return
end
local ok, err = pcall(fs.move, source, dest)
if not ok then printError(err) end
