-- system.process: start, startString, getpid, getppid, getpinfo, getplist,
-- wait, exit, sleep; process_complete reaches the parent.
-- args: alpha 42
-- expect-out: args alpha 42
-- expect-out: child says hi
-- expect-out: process ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")

local a, b = ...
print("args " .. a .. " " .. b)
local me = process.getpid()
check.eq(me, 2, "the program is PID 2 (init is 1)")
check.eq(process.getppid(), 1, "parent is init")
local info = process.getpinfo(me)
check.eq(info.pid, me, "pid"); check.eq(info.ppid, 1, "ppid")
check.eq(info.state, "running", "own state"); check.eq(info.user, "user", "user")
check.truthy(info.memory > 0 and info.memory < info.memoryLimit, "memory within quota")
check.eq(info.memoryLimit, 16 * 1024 * 1024, "default quota")
check.eq(process.getpinfo(1).name, "init", "init's name")
check.eq(process.getpinfo(1).user, "root", "init runs as root")
check.eq(process.getpinfo(424242), nil, "unknown pid")

-- startString with arguments, which are copied like messages.
local child = process.startString([[
  local process = require("system.process")
  local word, t = ...
  print("child says " .. word)
  assert(t.n == 5 and t.list[2] == "b")
  assert(process.getppid() == t.parent)
  process.exit(7)
  error("not reached")
]], "greeter", "hi", {n = 5, list = {"a", "b"}, parent = me})
check.truthy(child > me, "pids count up")
check.eq(process.getpinfo(child).name, "greeter", "name")
local plist = process.getplist()
local seen = {}
for _, pid in ipairs(plist) do seen[pid] = true end
check.truthy(seen[1] and seen[me] and seen[child], "getplist lists init, us and the child")
check.eq(process.wait(child, 5), 7, "exit code through wait")
check.eq(process.getpinfo(child), nil, "reaped")

-- process_complete arrives with id, status, error, traceback.
local failing = process.startString("local x = nil; return x.field", "failing")
-- (the greeter's own process_complete is still queued first: wait() reaps,
-- it does not take events)
local event, done = os.pullEvent("process_complete")
check.eq(done.id, child, "the greeter's event came first")
event, done = os.pullEvent("process_complete")
check.eq(event, "process_complete", "event")
check.eq(done.id, failing, "id")
check.eq(done.status, 1, "status of an uncaught error")
check.truthy(done.error:find("attempt to index a nil value", 1, true), "error text")
check.truthy(done.traceback:find("stack traceback", 1, true), "traceback")
check.eq(process.wait(failing), 1, "wait on a zombie returns at once")

-- wait with a timeout returns nil while the child lives.
local slow = process.startString("require('system.process').sleep(0.3)", "slow")
local t0 = os.clock()
check.eq(process.wait(slow, 0.05), nil, "wait timeout")
check.truthy(os.clock() - t0 >= 0.04, "waited")
check.eq(process.wait(slow, 5), 0, "wait until done")

-- start reads a program from the virtual file system.
local pid = process.start("/lib/hello.lua", "from file")
check.eq(process.wait(pid, 5), 0, "file program status")
local pid2, err = process.start("/no/such/program.lua")
check.eq(pid2, nil, "missing file")
check.truthy(err:find("not found", 1, true), "missing file message")
local pid3, err3 = process.startString("this is not lua", "broken")
check.eq(pid3, nil, "syntax error")
check.truthy(err3:find("broken", 1, true), "syntax error names the chunk")

-- sleep lets time pass and keeps queued events.
ipc.sendEvent(me, "kept", {})
t0 = os.clock()
process.sleep(0.1)
check.truthy(os.clock() - t0 >= 0.09, "slept")
check.eq((ipc.receiveEvent(nil, "kept", 0)), "kept", "event kept across sleep")
sleep(0)  -- the global CC-style sleep exists too

-- Bad arguments.
check.raises("bad argument #1 to 'start' (string expected, got nil)", process.start)
check.raises("bad argument #1 to 'startString' (string expected, got nil)", process.startString)
check.raises("bad argument #3 to 'startString' (cannot send a function (at arg))", process.startString, "", "x", print)
check.raises("bad argument #1 to 'wait' (no such child process)", process.wait, 1)
check.raises("bad argument #1 to 'wait' (number expected, got string)", process.wait, "x")
check.raises("bad argument #2 to 'wait' (timeout must not be negative)", process.wait, me, -1)
check.raises("bad argument #1 to 'getpinfo' (number expected, got nil)", process.getpinfo)
check.raises("bad argument #1 to 'exit' (number expected, got string)", process.exit, "x")

-- start({path=, arg0=}): arg[0] as given; fields made by __index are kept alive
local f = fs.open("/arg0.lua", "w")
f.write("local o = fs.open('/arg0.txt', 'w') o.write(arg[0] .. ' ' .. tostring(arg[1])) o.close()")
f.close()
local made = setmetatable({}, {__index = function(_, k)
  collectgarbage()
  if k == "path" then return ("/arg0" .. ".lua") end
  if k == "arg0" then return ("typed" .. "name") end
end})
local started = process.start(made, ("x"):rep(3))
check.eq(process.wait(started), 0, "started from a table")
local o = fs.open("/arg0.txt", "r")
check.eq(o.readAll(), "typedname xxx", "arg[0] from the table")
o.close()
check.raises("bad argument #1 to 'start' (path expected in the table)", process.start, {})
check.raises("bad argument #1 to 'start' (arg0 must be a string)", process.start, {path = "/arg0.lua", arg0 = 1})
print("process ok")
