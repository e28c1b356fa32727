-- stty [tostop | -tostop]: terminal options. With tostop, a background job
-- that writes to the terminal is stopped (SIGTTOU) until brought back with fg.
local process = require("system.process")
local arg = ...
if arg == "tostop" then process.tty("tostop", true)
elseif arg == "-tostop" then process.tty("tostop", false)
elseif arg then printError("stty: unknown option " .. arg) process.exit(2) end
print(process.tty("tostop") and "tostop" or "-tostop")
