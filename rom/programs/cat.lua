-- cat file...: prints files (moonbox's; CC has no cat).
local exit_status = require("moonbox.exit_status")
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
exit_status(status)
