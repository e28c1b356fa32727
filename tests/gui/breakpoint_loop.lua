-- For gui.source_breakpoint: a loop the test stops from the Source panel.
local n = 0
while true do
  n = n + 1
  sleep(0.05)
end
