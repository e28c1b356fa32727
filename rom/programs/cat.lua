-- cat file...: prints files (moonbox's; CC has no cat).
local process = require("system.process")
local status = 0
for _, path in ipairs({...}) do
  local h, err = fs.open(shell.resolve(path), "r")
  if not h then
    printError(err)
    status = 1
  else
    for line in h.readLine do print(line) end
    h.close()
  end
end
process.exit(status)
