-- drive [path]: the drive a path is on, and its free space.
local args = {...}
local path = shell.resolve(args[1] or ".")
if not fs.exists(path) then
  printError("No such path")
  return
end
local free = fs.getFreeSpace(path)
local text
if free == "unlimited" then text = "unlimited"
elseif free >= 1000 * 1000 then text = math.floor(free / (100 * 1000)) / 10 .. "MB"
elseif free >= 1000 then text = math.floor(free / 100) / 10 .. "KB"
else text = free .. "B" end
print(fs.getDrive(path) .. " (" .. text .. " remaining)")
