-- 200 processes and a stream of messages, for the debugger's layout at
-- 1280x720 (gui.debugger_layout, and docs/screenshots/debugger-1280x720.png).
local process = require("system.process")
local ipc = require("system.ipc")
for i = 1, 199 do
  process.startString("local ipc = require('system.ipc') while true do ipc.receiveEvent(nil, nil, 0.5) end", "worker_with_a_long_name_" .. i)
end
print("200 processes:")
print("  many_processes.lua, the sender,")
print("  and 199 workers that wait for messages;")
print("  every 50 ms one worker gets a ping")
print("  (a table with a number and a string).")
print("Watch them in the panels: the process table,")
print("the traffic log and the sequence chart.")
local n = 0
while true do
  n = n + 1
  ipc.sendEvent(2 + n % 50, "ping", {n = n, text = "hello from the sender"})
  process.sleep(0.05)
end
