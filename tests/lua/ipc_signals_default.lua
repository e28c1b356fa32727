-- Every default signal action of the design's table, seen from the parent.
-- expect-out: defaults ok
-- expect-err: SIGQUIT (pid
-- expect-trace: "kind":"signal_default"
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local S = ipc.signal

-- The table of signal numbers (POSIX, as Phoenix), plus USR1/USR2.
local expected = {SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGTRAP = 5, SIGABRT = 6, SIGKILL = 9,
  SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19,
  SIGTTIN = 21, SIGTTOU = 22}
for name, n in pairs(expected) do check.eq(S[name], n, name) end
for name in pairs(S) do check.truthy(expected[name], "unexpected signal " .. name) end

-- A process blocked in receiveEvent. Its first slice may run out before it
-- gets there (a sanitizer build is slow): give it turns until it waits.
local function sleeper()
  local pid = process.startString([[
    local ipc = require("system.ipc")
    while true do ipc.receiveEvent(nil, "never") end
  ]], "sleeper")
  repeat process.sleep(0) until check.state(pid) == "blocked"
  return pid
end

-- Terminating signals: status 128+n, reported in process_complete.
for _, sig in ipairs({S.SIGHUP, S.SIGINT, S.SIGPIPE, S.SIGTERM, S.SIGUSR1, S.SIGUSR2, S.SIGKILL}) do
  local pid = sleeper()
  ipc.kill(pid, sig)
  check.eq(check.state(pid), "zombie", "state after signal " .. sig)
  local event, info
  repeat event, info = os.pullEvent("process_complete") until info.id == pid
  check.eq(info.status, 128 + sig, "status for signal " .. sig)
  check.eq(info.signal, sig, "signal field")
  check.eq(process.wait(pid), 128 + sig, "wait status for signal " .. sig)
end

-- QUIT and ABRT also leave a traceback (stderr, the trace, process_complete).
for _, sig in ipairs({S.SIGQUIT, S.SIGABRT}) do
  local pid = sleeper()
  ipc.kill(pid, sig)
  local _, info
  repeat _, info = os.pullEvent("process_complete") until info.id == pid
  check.eq(info.status, 128 + sig, "dump status")
  check.truthy(type(info.traceback) == "string" and info.traceback:find("receiveEvent", 1, true),
    "traceback names where it was: " .. tostring(info.traceback))
  process.wait(pid)
end

-- STOP, TTIN, TTOU stop; CONT resumes; TRAP stops at a breakpoint.
for _, sig in ipairs({S.SIGSTOP, S.SIGTTIN, S.SIGTTOU, S.SIGTRAP}) do
  local pid = sleeper()
  ipc.kill(pid, sig)
  check.eq(check.state(pid), "stopped", "stopped by " .. sig)
  check.eq(process.getpinfo(pid).breakpoint, sig == S.SIGTRAP or nil, "breakpoint mark for " .. sig)
  ipc.kill(pid, S.SIGCONT)
  check.eq(check.state(pid), "blocked", "continued after " .. sig)
  check.eq(process.getpinfo(pid).breakpoint, nil, "breakpoint cleared")
  ipc.kill(pid, S.SIGKILL)
  process.wait(pid)
end

-- CONT on a running process does nothing; a stopped process still dies of
-- KILL and TERM.
local pid = sleeper()
ipc.kill(pid, S.SIGCONT)
check.eq(check.state(pid), "blocked", "CONT on a blocked process")
ipc.kill(pid, S.SIGSTOP)
ipc.kill(pid, S.SIGTERM)
check.eq(check.state(pid), "zombie", "TERM kills a stopped process")
check.eq(process.wait(pid), 143, "status 143")

-- Signals to a zombie are accepted and do nothing; to a reaped pid, an error.
pid = process.startString("return", "quick")
check.eq(process.wait(pid, 5), 0, "quick exits")
check.raises("No such process", ipc.kill, pid, S.SIGTERM)
check.raises("No such process", ipc.kill, 4242, S.SIGTERM)
print("defaults ok")
