-- init: PID 1. In the window ("gui") it starts the shell on the terminal;
-- when the host runs a program ("headless", "program") the host starts it.
-- init reaps every process that ends without a parent to wait for it, and it
-- cannot be killed.
local process = require("system.process")

local mode = ...

if mode == "gui" then
  local shell = "/rom/programs/shell.lua"
  -- The shell runs as "user" (services as root), with the terminal, from
  -- its first instruction.
  local pid, err = process.start({path = shell, user = "user", foreground = true})
  if not pid then
    printError("init: " .. tostring(err))
  end
end

while true do
  -- pullEventRaw: Ctrl+T's "terminate" must not end init.
  local event, info = os.pullEventRaw("process_complete")
  if event == "process_complete" and type(info) == "table" and info.id then
    pcall(process.wait, info.id, 0)
  end
end
