-- shell.run and shell.execute inside a program run the child in the caller's
-- process, with CC's semantics (issue 23): a fresh environment whose
-- __index is _G, the caller's redirect target, the caller's _G.
-- expect-out: in-process ok
local check = require("lib.check")
local process = require("system.process")

local function write_file(path, text) local f = fs.open(path, "w") f.write(text) f.close() end
write_file("/child.lua", [[
print("child says hi")
_G.from_child = (_G.from_child or 0) + 1
plain_global = "stays in the child's environment"
seen_pid = require("system.process").getpid()
_G.child_pid = seen_pid
_G.child_args = {...}
_G.child_arg0 = arg[0]
_G.child_has_shell = shell ~= nil and shell.getRunningProgram()
]])
write_file("/lib/helper.lua", "return {answer = 42}")
write_file("/lib/uses_helper.lua", "_G.helper_answer = require('helper').answer")
write_file("/fails.lua", "error('child failed on purpose')")

local me = process.getpid()
local mine = shell.getRunningProgram()

-- 1. the same process, _G shared, plain globals not leaked, arguments
check.eq(shell.run("/child.lua", "a", "b c"), true, "shell.run")
check.eq(_G.child_pid, me, "the child ran in the caller's process")
check.eq(_G.from_child, 1, "_G.x in the child is the caller's")
check.eq(plain_global, nil, "a plain global stays in the child's environment")
check.same(_G.child_args, {"a", "b", "c"}, "arguments (shell.run tokenises)")
check.eq(_G.child_arg0, "/child.lua")
check.eq(_G.child_has_shell, "child.lua", "shell.getRunningProgram in the child")
check.eq(shell.getRunningProgram(), mine, "and the caller's again after")
check.eq(shell.execute("/child.lua", "x y"), true, "shell.execute")
check.same(_G.child_args, {"x y"}, "shell.execute passes its arguments as they are")

-- 2. require from the child's own directory
check.eq(shell.run("/lib/uses_helper.lua"), true)
check.eq(_G.helper_answer, 42, "require beside the child")

-- 3. a _G.print stub captures the child's output
local captured = {}
local real_print = _G.print
_G.print = function(...) captured[#captured + 1] = table.concat({...}, " ") end
shell.run("/child.lua")
_G.print = real_print
check.same(captured, {"child says hi"}, "the stub caught the child's print")

-- 4. the child draws on the caller's redirect target: a window, read back
local win = window.create(term.current(), 1, 1, 30, 5, false)
local old = term.redirect(win)
shell.run("/child.lua")
term.redirect(old)
local line = win.getLine(1)
check.eq(line:sub(1, #"child says hi"), "child says hi", "the child's output is in the window")

-- 5. an error in the child goes through printError, and run returns false
local errors = {}
local real_printError = _G.printError
_G.printError = function(msg) errors[#errors + 1] = tostring(msg) end
check.eq(shell.run("/fails.lua"), false, "a failing child")
check.eq(shell.run("no_such_program_anywhere"), false, "a missing program")
_G.printError = real_printError
check.truthy(errors[1] and errors[1]:find("child failed on purpose", 1, true), "the child's error: " .. tostring(errors[1]))
check.eq(errors[2], "No such program")

-- 6. os.run keeps its semantics too
check.eq(os.run({}, "/child.lua", "z"), true)
check.same(_G.child_args, {"z"})
print("in-process ok")
