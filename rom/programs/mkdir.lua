-- mkdir path...
local status = 0
for _, path in ipairs({...}) do
  local ok, err = pcall(fs.makeDir, path)
  if not ok then printError(err) status = 1 end
end
require("system.process").exit(status)
