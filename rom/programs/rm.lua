-- rm path...: deletes files and directories.
local status = 0
for _, path in ipairs({...}) do
  if not fs.exists(path) then
    printError(path .. ": No such file")
    status = 1
  else
    local ok, err = pcall(fs.delete, path)
    if not ok then printError(err) status = 1 end
  end
end
require("system.process").exit(status)
