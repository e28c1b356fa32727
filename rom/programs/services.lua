-- services: registered service names and their owners.
local process = require("system.process")
local any = false
for _, pid in ipairs(process.getplist()) do
  local p = process.getpinfo(pid)
  for _, name in ipairs(p and p.services or {}) do
    print(("%-20s %5d  %s"):format(name, pid, p.name))
    any = true
  end
end
if not any then print("no services") end
