-- ps: the process table.
local process = require("system.process")
print(("%5s %5s %-6s %-8s %7s  %s"):format("PID", "PPID", "USER", "STATE", "MEM", "NAME"))
for _, pid in ipairs(process.getplist()) do
  local p = process.getpinfo(pid)
  if p then
    local state = p.state .. (p.waiting and p.state == "blocked" and ("/" .. p.waiting) or "")
    print(("%5d %5d %-6s %-8s %6dK  %s"):format(p.pid, p.ppid, p.user:sub(1, 6), state:sub(1, 8),
      p.memory // 1024, p.name))
  end
end
