--- The shared part of the copy and move programs: resolve the arguments,
-- expand wildcards, check the destination, then `action` each file.
return function(args, usage, action, check_source)
  if #args < 2 then
    print("Usage: " .. (arg and arg[0] or "") .. " " .. usage)
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
    local problem = check_source and check_source(file, target)
    if problem then
      printError(problem)
      return
    end
    if fs.exists(target) then
      printError("Destination exists")
      return
    end
    if fs.isReadOnly(target) then
      printError("Destination is read-only")
      return
    end
    local ok, err = pcall(action, file, target)
    if not ok then
      printError(err)
      return
    end
  end
end
