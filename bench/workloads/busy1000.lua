-- 1,000 processes that never stop computing: the window must stay smooth.
local process = require("system.process")
for i = 1, 1000 do
  process.startString("local x = 0 while true do x = x + 1 end", "busy" .. i)
end
print("1000 busy processes started")
while true do sleep(1) end
