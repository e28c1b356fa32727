-- exit(n) gives exit status n, from inside pcall and a coroutine too.
-- expect-exit: 5
-- expect-out: leaving
local process = require("system.process")
print("leaving")
pcall(coroutine.wrap(function() process.exit(5) end))
print("not reached")
