-- mkdir <paths...>: makes directories.
local args = {...}
if #args < 1 then
  print("Usage: mkdir <paths>")
  return
end
for _, arg in ipairs(args) do
  local path = shell.resolve(arg)
  if fs.exists(path) and not fs.isDir(path) then
    printError(arg .. ": Destination exists")
  elseif fs.isReadOnly(path) then
    printError(arg .. ": Access denied")
  else
    local ok, err = pcall(fs.makeDir, path)
    if not ok then printError(err) end
  end
end
