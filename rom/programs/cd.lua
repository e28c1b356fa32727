-- cd <path>: changes the shell's directory (the shell also has it built in).
local args = {...}
if #args < 1 then
  print("Usage: cd <path>")
  return
end
local path = shell.resolve(args[1])
if fs.isDir(path) then shell.setDir(path) else print("Not a directory") end
