-- Twenty processes in plain Lua loops (preempted, never inside a long C call),
-- for the debugger: its panels must stay, never the "kernel is busy" screen.
local process = require("system.process")
for i = 1, 20 do process.startString("local x = 0 while true do x = x + 1 end", "busy" .. i) end
print("20 busy loops")
while true do process.sleep(1) end
