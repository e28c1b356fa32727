--- Ends one of moonbox's own utilities (cat, kill, stty) with an exit
-- status, as a Unix program ends: when the utility is its process's own
-- program (a command typed at the prompt, whose status the shell keeps).
-- Run inside another program with shell.run, where CC's semantics put it in
-- the caller's process, it must not end the caller: then it does nothing,
-- and the utility returns as CC's programs do after an error message.
local process = require("system.process")

return function(status)
  -- level 2 is the utility's main chunk; nothing calls the process's own
  if status ~= 0 and debug.getinfo(3, "S") == nil then process.exit(status) end
end
