-- init: PID 1. It starts the shell on the terminal (not in headless mode,
-- where the host starts the program itself) and reaps every process that
-- ends without a parent to wait for it. init cannot be killed.
local process = require("system.process")

local mode = ...

if mode ~= "headless" then
  local shell = "/rom/programs/shell.lua"
  local pid, err = process.start(shell)
  if not pid then print("init: " .. tostring(err)) end
end

while true do
  -- pullEventRaw: Ctrl+T's "terminate" must not end init.
  local event, info = os.pullEventRaw("process_complete")
  if event == "process_complete" and type(info) == "table" and info.id then
    pcall(process.wait, info.id, 0)
  end
end
