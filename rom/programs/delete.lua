-- delete <paths...>: deletes files and directories (wildcards allowed).
-- Alias: rm.
local args = {...}
if #args < 1 then
  print("Usage: delete <paths>")
  return
end
for _, arg in ipairs(args) do
  local files = fs.find(shell.resolve(arg))
  if #files == 0 then
    printError(arg .. ": No matching files")
  end
  for _, file in ipairs(files) do
    if fs.isReadOnly(file) then
      printError("Cannot delete read-only file /" .. file)
    elseif fs.isDriveRoot(file) then
      printError("Cannot delete mount /" .. file)
    else
      local ok, err = pcall(fs.delete, file)
      if not ok then printError(err) end
    end
  end
end
