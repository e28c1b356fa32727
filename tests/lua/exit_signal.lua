-- Death by signal n gives 128+n.
-- expect-exit: 143
local ipc = require("system.ipc")
local process = require("system.process")
ipc.kill(process.getpid(), ipc.signal.SIGTERM)
print("not reached")
