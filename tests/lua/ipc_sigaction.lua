-- Handlers run as coroutines of the target, also when it is blocked, then
-- the target goes back to waiting; sigaction(sig, nil) restores the default.
-- expect-out: handler got 10
-- expect-out: still waiting
-- expect-out: sigaction ok
-- expect-trace: "kind":"signal_handled"
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local S = ipc.signal
local me = process.getpid()

-- A child blocked in receiveEvent gets USR1: its handler runs (and can even
-- send), then receiveEvent keeps waiting and returns the real event later.
local child = process.startString([[
  local ipc = require("system.ipc")
  local parent = ...
  ipc.sigaction(ipc.signal.SIGUSR1, function(sig)
    print("handler got " .. sig)
    ipc.sendEvent(parent, "handled", {sig = sig, co = coroutine.isyieldable()})
  end)
  ipc.sendEvent(parent, "ready", {})
  local event, param = ipc.receiveEvent(parent, "work")
  print("still waiting")
  ipc.sendEvent(parent, "done", {event = event, n = param.n})
]], "handler-child", me)
check.truthy(ipc.receiveEvent(child, "ready", 5), "child ready")
process.sleep(0.05)
check.eq(check.state(child), "blocked", "child blocked in receiveEvent")
ipc.kill(child, S.SIGUSR1)  -- asynchronous: returns before the handler runs
local _, h = ipc.receiveEvent(child, "handled", 5)
check.eq(h.sig, S.SIGUSR1, "handler argument")
check.eq(h.co, true, "handler runs in a coroutine")
process.sleep(0.05)
check.eq(check.state(child), "blocked", "back to waiting after the handler")
ipc.sendEvent(child, "work", {n = 7})
local _, d = ipc.receiveEvent(child, "done", 5)
check.eq(d.event, "work", "receiveEvent resumed with the real event")
check.eq(d.n, 7, "param")
check.eq(process.wait(child, 5), 0, "child status")

-- A handler on ourselves runs before kill returns.
local got = {}
ipc.sigaction(S.SIGUSR2, function(sig) got[#got + 1] = sig end)
ipc.kill(me, S.SIGUSR2)
check.eq(got[1], S.SIGUSR2, "self handler ran before kill returned")
-- Catching TERM and INT keeps us alive.
ipc.sigaction(S.SIGTERM, function() got[#got + 1] = "term" end)
ipc.kill(me, S.SIGTERM)
check.eq(got[2], "term", "TERM caught")
-- CONT with a handler: the handler runs.
ipc.sigaction(S.SIGCONT, function() got[#got + 1] = "cont" end)
ipc.kill(me, S.SIGCONT)
check.eq(got[3], "cont", "CONT handler")

-- sigaction(sig, nil) restores the default: a child that removes its handler
-- dies of the signal.
local victim = process.startString([[
  local ipc = require("system.ipc")
  ipc.sigaction(ipc.signal.SIGTERM, function() end)
  ipc.sigaction(ipc.signal.SIGTERM, nil)
  ipc.sendEvent(..., "ready", {})
  ipc.receiveEvent(nil, "never")
]], "victim", me)
ipc.receiveEvent(victim, "ready", 5)
ipc.kill(victim, S.SIGTERM)
check.eq(process.wait(victim, 5), 143, "default restored")

-- A handled signal sent to a stopped process waits for SIGCONT.
local stopped = process.startString([[
  local ipc = require("system.ipc")
  local parent = ...
  ipc.sigaction(ipc.signal.SIGUSR1, function() ipc.sendEvent(parent, "usr1", {}) end)
  ipc.sendEvent(parent, "ready", {})
  ipc.receiveEvent(nil, "never")
]], "stopped", me)
ipc.receiveEvent(stopped, "ready", 5)
ipc.kill(stopped, S.SIGSTOP)
ipc.kill(stopped, S.SIGUSR1)
check.eq(ipc.receiveEvent(stopped, "usr1", 0.1), nil, "no handler while stopped")
ipc.kill(stopped, S.SIGCONT)
check.eq((ipc.receiveEvent(stopped, "usr1", 5)), "usr1", "handler after CONT")
ipc.kill(stopped, S.SIGKILL)
process.wait(stopped)

-- An error in a handler ends the process like any uncaught error.
local bad = process.startString([[
  local ipc = require("system.ipc")
  ipc.sigaction(ipc.signal.SIGUSR1, function() error("boom in handler") end)
  ipc.sendEvent(..., "ready", {})
  ipc.receiveEvent(nil, "never")
]], "bad-handler", me)
ipc.receiveEvent(bad, "ready", 5)
ipc.kill(bad, S.SIGUSR1)
local _, info
repeat _, info = os.pullEvent("process_complete") until info.id == bad
check.eq(info.status, 1, "handler error status")
check.truthy(info.error:find("boom in handler", 1, true), "handler error message")

-- Bad arguments.
check.raises("bad argument #1 to 'sigaction' (signal cannot be caught)", ipc.sigaction, S.SIGKILL, print)
check.raises("bad argument #1 to 'sigaction' (signal cannot be caught)", ipc.sigaction, S.SIGSTOP, nil)
check.raises("bad argument #1 to 'sigaction' (invalid signal)", ipc.sigaction, 4, print)
check.raises("bad argument #1 to 'sigaction' (number expected, got string)", ipc.sigaction, "TERM", print)
check.raises("bad argument #2 to 'sigaction' (function or nil expected, got number)", ipc.sigaction, S.SIGTERM, 5)
print("sigaction ok")
