-- What the program leaves running gets SIGHUP when it ends, then SIGKILL
-- after 1 s if it is still there.
-- expect-exit: 0
-- expect-out: main done
-- expect-out: child got SIGHUP
-- expect-trace: "kind":"signal_sent","from":0,"to":3,"size":0,"name":"SIGHUP"
-- expect-trace: "kind":"signal_sent","from":0,"to":4,"size":0,"name":"SIGHUP"
-- expect-trace: "kind":"signal_sent","from":0,"to":4,"size":0,"name":"SIGKILL"
local ipc = require("system.ipc")
local process = require("system.process")
process.startString([[
  local ipc = require("system.ipc")
  ipc.sigaction(ipc.signal.SIGHUP, function() print("child got SIGHUP"); require("system.process").exit(0) end)
  ipc.receiveEvent(nil, "never")
]], "polite")
process.startString([[
  local ipc = require("system.ipc")
  ipc.sigaction(ipc.signal.SIGHUP, function() end)  -- ignores the hang-up
  while true do ipc.receiveEvent(nil, "never") end
]], "stubborn")
process.sleep(0.05)
print("main done")
