--- Saves the files of a file_transfer event (CC's TransferredFiles) into
-- the current directory, as CC's import program does: it asks before
-- overwriting anything, and says what it saves.
--
-- @tparam { getName = function, read = function, close = function }[] files
-- @treturn boolean Whether the files were saved.
local function ask(question)
  write(question .. " (y/N) ")
  local answer = read()
  return answer ~= nil and answer:lower():sub(1, 1) == "y"
end

return function(files)
  local existing = {}
  for _, file in ipairs(files) do
    if fs.exists(shell.resolve(file.getName())) then existing[#existing + 1] = file.getName() end
  end
  if #existing == 1 and not ask(existing[1] .. " already exists. Overwrite?") then return false end
  if #existing > 1 and not ask(#existing .. " files already exist. Overwrite them?") then return false end

  for _, file in ipairs(files) do
    local name = file.getName()
    print("Transferring " .. name)
    local path = shell.resolve(name)
    local out, err = fs.open(path, "wb")
    if not out then
      printError("Cannot save " .. name .. ": " .. tostring(err))
      file.close()
      return false
    end
    while true do
      local chunk = file.read(8192)
      if not chunk then break end
      out.write(chunk)
    end
    out.close()
    file.close()
  end
  return true
end
