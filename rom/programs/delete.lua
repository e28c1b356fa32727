-- delete <paths...>: deletes files and directories (wildcards allowed).
-- Alias: rm.
local args = {...}
if #args < 1 then
  print("Usage: " .. arg[0] .. " <paths>")
  return
end
for _, pattern in ipairs(args) do
  local files = fs.find(shell.resolve(pattern))
  if #files == 0 then
    printError(pattern .. ": No matching files")
  end
  for _, file in ipairs(files) do
    if fs.isDriveRoot(file) then
      printError("Cannot delete mount /" .. file)
      if file == "" then print("To delete its contents run " .. arg[0] .. " /*") end
    elseif fs.isReadOnly(file) then
      printError("Cannot delete read-only file /" .. file)
    else
      local ok, err = pcall(fs.delete, file)
      if not ok then printError(err) end
    end
  end
end
