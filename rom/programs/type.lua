-- type <path>: whether a path is a file or a directory.
local args = {...}
if #args < 1 then
  print("Usage: type <path>")
  return
end
local path = shell.resolve(args[1])
if fs.exists(path) then
  print(fs.isDir(path) and "directory" or "file")
else
  print("No such path")
end
