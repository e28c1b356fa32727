-- CC's programs say what CC's say, run in the caller's process with
-- shell.run and captured as CC's own test helpers capture them: edit's
-- usage, motd's greetings, set's listing, showing, setting and type check,
-- help's printing and its viewer, programs, and moonbox's cat and kill,
-- which end their own process with a status but never a caller's.
-- expect-out: program words ok
local check = require("lib.check")

local capture, expect_run = require("lib.capture").capture, require("lib.capture").expect_run

expect_run("edit", "Usage: edit <path>\n")
fs.makeDir("/a_dir")
expect_run("edit /a_dir", "Cannot edit a directory.\n")

-- motd
local real_date = os.date
local function on(day, month) os.date = function() return { day = day, month = month } end end
local h = fs.open("/motd_check.txt", "w")
h.write("Hello World!")
h.close()
settings.set("motd.path", "/motd_check.txt")
on(0, 0)
expect_run("motd", "Hello World!\n")
on(1, 1) expect_run("motd", "Happy new year!\n")
on(28, 4) expect_run("motd", "Ed Balls\n")
on(31, 10) expect_run("motd", "OOoooOOOoooo! Spooky!\n")
on(24, 12) expect_run("motd", "Merry X-mas!\n")
os.date = real_date

-- set, against a settings API of its own, loaded as CC loads an API file
local real_settings = settings
local fresh = setmetatable({}, { __index = _G })
loadfile("/rom/apis/settings.lua", nil, fresh)()
check.eq(type(fresh.define), "function", "an API file's functions are its environment's globals")
_G.settings = fresh
settings.set("test", "Hello World!")
settings.define("test.defined", { default = 456, description = "A description", type = "number" })
expect_run("set", '"test" is "Hello World!"\n"test.defined" is 456\n')
expect_run("set test", 'test is "Hello World!"\n')
settings.set("test.defined", 123)
expect_run("set test.defined", "test.defined is 123 (default is 456)\nA description\n")
expect_run("set test Hello", '"test" set to "Hello"\n')
check.eq(settings.get("test"), "Hello")
expect_run("set test.defined Hello", "", '"Hello" is not a valid number.\n')
expect_run("set test.defined 456", '"test.defined" set to 456\n')
_G.settings = real_settings
check.truthy(settings.getDetails("motd.enable").description, "the system's settings keep their definitions")

-- help: a page that fits is printed; a longer one opens the viewer
expect_run("help nothing", "", "No help available\n")
local real_lookup = help.lookup
help.lookup = function() return "/help_file.txt" end
local function help_in_window(width, height, content)
  h = fs.open("/help_file.txt", "w")
  h.write(content)
  h.close()
  local current = term.current()
  local win = window.create(current, 1, 1, width, height, false)
  term.redirect(win)
  local co = coroutine.create(shell.run)
  local ok, err = coroutine.resume(co, "help topic")
  term.redirect(current)
  check.truthy(ok, err)
  local lines = {}
  for i = 1, height do lines[i] = win.getLine(i) end
  return coroutine.status(co) == "dead", lines
end
check.same({ help_in_window(10, 3, "a short\nfile") }, { true, { "a short   ", "file      ", "          " } })
check.same({ help_in_window(10, 3, "a longer\nfile\nwith content") }, { false, { "a longer  ", "file      ", "Help: topi" } })
help.lookup = real_lookup

-- programs asks shell.programs for the visible ones
local real_programs, real_tabulate = shell.programs, textutils.pagedTabulate
local asked
shell.programs = function(...) asked = table.pack(...) return { "some", "programs" } end
textutils.pagedTabulate = function(list) print(table.unpack(list)) end
expect_run("/rom/programs/programs.lua", "some programs\n")
shell.programs, textutils.pagedTabulate = real_programs, real_tabulate
check.eq(asked[1], false)

-- moonbox's utilities inside a program: failing, they say so and return
expect_run("cat /no/such/file", "", "/no/such/file: No such file\n")
expect_run("kill -NOSUCH 1", "", "kill: unknown signal NOSUCH\n")
-- list /rom: CC's layout (moonbox's own folder is there only by its path)
local tabulated
local real_tabulate2 = textutils.pagedTabulate
textutils.pagedTabulate = function(...) tabulated = table.pack(...) end
capture("list /rom")
textutils.pagedTabulate = real_tabulate2
check.same(tabulated, { n = 4, colours.green, { "apis", "autorun", "help", "modules", "programs" }, colours.white, { "motd.txt", "startup.lua" } })
check.eq(fs.isDir("/rom/moonbox"), true, "reachable by its path")
expect_run("list /rom/nothing", "", "Not a directory\n")

-- rename's checks, in CC's order
local function touch(path) io.open(path, "w"):close() end
fs.makeDir("/test-files/rename")
touch("/test-files/rename/a.txt")
expect_run("rename /test-files/rename/a.txt /test-files/rename/b.txt", "")
check.eq(fs.exists("/test-files/rename/b.txt"), true)
expect_run("rename nothing destination", "", "No matching files\n")
expect_run("rename /test-files/rename/b.txt /test-files/rename/b.txt", "", "Destination exists\n")
expect_run("rename /test-files/rename/b.txt /rom/test.txt", "", "Destination is read-only\n")
expect_run("rename /rom/startup.lua /test-files/rename/d.txt", "", "Source is read-only\n")
expect_run("rename /rom /test-files/rename/rom", "", "Can't rename mounts\n")

-- the rom programs' completions (CC's rom/startup.lua list), in every process
fs.delete("/test-files")
fs.makeDir("/test-files/a")
fs.makeDir("/test-files/b")
touch("/test-files.a.txt")
local mkdir_complete = shell.getCompletionInfo()["rom/programs/mkdir.lua"].fnComplete
check.same(mkdir_complete(shell, 1, "/test-files/", {}), { "a/", "a", "b/", "b" })
check.same(mkdir_complete(shell, 2, "/test-files/", { "/" }), { "a/", "a", "b/", "b" })
check.same(shell.complete("set motd.ena"), { "ble " })
fs.delete("/test-files.a.txt")

-- label, type, shutdown, reboot, monitor scale, bg and fg
local function stub(t, k, fn)
  local old = t[k]
  local calls = {}
  t[k] = function(...) calls[#calls + 1] = table.pack(...) if fn then return fn(...) end end
  return calls, function() t[k] = old end
end
expect_run("label", "Usages:\nlabel get\nlabel get <drive>\nlabel set <text>\nlabel set <drive> <text>\nlabel clear\nlabel clear <drive>\n")
local _, undo = stub(os, "getComputerLabel", function() return nil end)
expect_run("label get", "No Computer label\n")
undo()
local calls
calls, undo = stub(os, "setComputerLabel")
capture("label clear")
undo()
check.same(calls, { { n = 1 } }, "label clear sets nil")
expect_run("label get nowhere", "No disk drive named nowhere\n")
expect_run("type /rom/nothing", "No such path\n")
local slept, off
calls, undo = stub(_G, "sleep")
off, slept = stub(os, "shutdown")
expect_run("shutdown", "Goodbye\n")
undo()
slept()
check.same(calls, { { n = 1, 1 } }, "a second to read the goodbye")
check.eq(#off, 1)
local scale = 1
local undo_call, undo_type
_, undo_call = stub(peripheral, "call", function(_, _, s) scale = s end)
_, undo_type = stub(peripheral, "getType", function(side) return side == "left" and "monitor" or nil end)
local usage = "Usage:\n  monitor <name> <program> <arguments>\n  monitor scale <name> <scale>\n"
expect_run("monitor scale left", usage)
expect_run("monitor scale top 0.5", "No monitor named top\n")
expect_run("monitor scale left aaa", "Invalid scale: aaa\n")
expect_run("monitor scale left 0.5", "")
undo_call()
undo_type()
check.eq(scale, 0.5)
local opened, undo_open = stub(shell, "openTab", function() return 12 end)
local switched, undo_switch = stub(shell, "switchTab")
capture("/rom/programs/advanced/bg.lua")
check.same(opened, { { n = 1, "shell" } }, "bg alone opens a shell")
check.eq(#switched, 0)
capture("/rom/programs/advanced/fg.lua")
check.same(switched, { { n = 1, 12 } }, "fg switches to it")
undo_open()
undo_switch()

_G.pocket = {}
expect_run("gps host", "GPS Hosts must be stationary\n")
_G.pocket = nil

-- ...and as processes of their own, they end with the status
local process = require("system.process")
local pid = process.start("/rom/programs/cat.lua", "/no/such/file")
local _, info
repeat _, info = os.pullEvent("process_complete") until info.id == pid
check.eq(info.status, 1, "cat's status as a process")
print("program words ok")
