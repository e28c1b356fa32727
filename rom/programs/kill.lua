-- kill [-SIGNAL] pid...: sends a signal (TERM by default).
--   kill -TERM 5, kill -9 5, kill -STOP 5, kill -l
local ipc = require("system.ipc")
local process = require("system.process")
local exit_status = require("moonbox.exit_status")
local args = {...}
local sig = ipc.signal.SIGTERM
if args[1] == "-l" then
  local names = {}
  for name, n in pairs(ipc.signal) do names[#names + 1] = {n, name} end
  table.sort(names, function(a, b) return a[1] < b[1] end)
  for _, e in ipairs(names) do print(e[1] .. " " .. e[2]) end
  return
end
if args[1] and args[1]:sub(1, 1) == "-" then
  local spec = table.remove(args, 1):sub(2):upper()
  sig = tonumber(spec) or ipc.signal[spec] or ipc.signal["SIG" .. spec]
  if not sig then printError("kill: unknown signal " .. spec) exit_status(2) return end
end
if #args == 0 then printError("usage: kill [-SIGNAL] pid...") exit_status(2) return end
local status = 0
for _, a in ipairs(args) do
  local ok, err = pcall(ipc.kill, tonumber(a) or -1, sig)
  if not ok then printError("kill " .. a .. ": " .. tostring(err):gsub("^.-:%d+: ", "")) status = 1 end
end
exit_status(status)
