-- Files written by a program survive its crash: handles are flushed and
-- closed when the process dies, however it dies.
-- expect-out: crash safety ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")

local cases = {
  {"error", "local h = fs.open('/c1.txt', 'w') h.write('written before error') error('boom')", "/c1.txt"},
  {"kill", "local h = fs.open('/c2.txt', 'w') h.write('written before kill') require('system.ipc').receiveEvent(nil, 'never')", "/c2.txt"},
  {"memory", "local h = fs.open('/c3.txt', 'w') h.write('written before oom') local s = 'x' while true do s = s .. s end", "/c3.txt"},
  {"exit", "local h = fs.open('/c4.txt', 'w') h.write('written before exit') require('system.process').exit(3)", "/c4.txt"},
}
for _, case in ipairs(cases) do
  local pid = process.startString(case[2], case[1])
  if case[1] == "kill" then
    process.sleep(0.05)
    ipc.kill(pid, ipc.signal.SIGKILL)
  end
  process.wait(pid, 10)
  local h = fs.open(case[3], "r")
  check.truthy(h, case[1] .. ": file exists")
  check.eq(h.readAll(), "written before " .. (case[1] == "memory" and "oom" or case[1]), case[1] .. ": content")
  h.close()
end
print("crash safety ok")
