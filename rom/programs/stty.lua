-- stty [tostop | -tostop]: terminal options. With tostop, a background job
-- that writes to the terminal is stopped (SIGTTOU) until brought back with fg.
local process = require("system.process")
local exit_status = require("moonbox.exit_status")
local arg = ...
if arg == "tostop" then process.tty("tostop", true)
elseif arg == "-tostop" then process.tty("tostop", false)
elseif arg then printError("stty: unknown option " .. arg) exit_status(2) return end
print(process.tty("tostop") and "tostop" or "-tostop")
