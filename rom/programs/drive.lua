-- drive [path]: the drive a path is on, and its free space, as CC's.
local args = {...}
local path = args[1] and shell.resolve(args[1]) or shell.dir()
if not fs.exists(path) then
  print("No such path")
  return
end
-- (CC's numbers print as integers when whole: "64MB", not "64.0MB")
local function show(n) return n == math.floor(n) and string.format("%d", n) or tostring(n) end
local free = fs.getFreeSpace(path)
local text
if free == "unlimited" then text = "unlimited"
elseif free >= 1000 * 1000 then text = show(math.floor(free / (100 * 1000)) / 10) .. "MB"
elseif free >= 1000 then text = show(math.floor(free / 100) / 10) .. "KB"
else text = show(free) .. "B" end
print(fs.getDrive(path) .. " (" .. text .. " remaining)")
