-- Logs every input event it gets to /events.log (one line each, flushed),
-- and shows the last ones: for the tests of where the window's input goes.
local log = fs.open("/events.log", "w")
term.clear()
term.setCursorPos(1, 1)
print("event log")
while true do
  local event = {os.pullEventRaw()}
  local line = table.concat((function()
    local parts = {}
    for i = 1, #event do parts[i] = tostring(event[i]) end
    return parts
  end)(), " ")
  if event[1] ~= "timer" then
    log.writeLine(line)
    log.flush()
    print(line)
  end
  if event[1] == "terminate" then break end
end
log.close()
