-- ps: the process table.
local process = require("system.process")
print(("%5s %5s %-6s %-8s %7s  %s"):format("PID", "PPID", "USER", "STATE", "MEM", "NAME"))
for _, pid in ipairs(process.getplist()) do
  local p = process.getpinfo(pid)
  if p then
    print(("%5d %5d %-6s %-8s %6dK  %s"):format(p.pid, p.ppid, p.user:sub(1, 6), p.state,
      p.memory // 1024, fs.getName(p.name)))
  end
end
