-- move <source> <destination>: moves files (wildcards allowed). Alias: mv.
local args = {...}
if #args < 2 then
  print("Usage: move <source> <destination>")
  return
end
local source = shell.resolve(args[1])
local dest = shell.resolve(args[2])
local files = fs.find(source)
if #files == 0 then
  printError("No matching files")
  return
end
if #files > 1 and not fs.isDir(dest) then
  printError("Cannot overwrite file multiple times")
  return
end
for _, file in ipairs(files) do
  local target = fs.isDir(dest) and fs.combine(dest, fs.getName(file)) or dest
  if fs.isReadOnly(file) then
    printError("Cannot move read-only file " .. file)
    return
  end
  if fs.exists(target) then
    printError("Destination exists")
    return
  end
  local ok, err = pcall(fs.move, file, target)
  if not ok then printError(err) return end
end
