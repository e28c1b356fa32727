-- io's standard streams (stdin through read(), which waits for keys;
-- stdout and stderr through write()), file methods' edge cases and CC's
-- error words.
-- expect-out: hi there
-- expect-out: child speaks
-- expect-out: child errs
-- expect-out: io streams ok
local check = require("lib.check")

local function type_line(text)
  for c in text:gmatch(".") do os.queueEvent("char", c) end
  os.queueEvent("key", keys.enter, false)
end

-- stdin: io.read waits in read() (a yield through io's C functions)
type_line("hello")
check.eq(io.read(), "hello", "io.read() reads a line")
type_line("again")
check.eq(io.read("L"), "again\n", "io.read('L') keeps the newline")
type_line("  42 apples")
check.eq(io.read("n"), 42, "io.read('n') reads the first word as a number")
type_line("one")
type_line("two")
check.same({io.read("l", "l")}, {"one", "two"}, "two formats, two lines")
type_line("x")
local seen = {}
for line in io.lines() do
  seen[#seen + 1] = line
  break
end
check.eq(seen[1], "x", "io.lines() reads stdin")
check.raises("bad argument #1 to 'read' (invalid format)", io.read, "x")
check.raises("file is not readable", io.read, 3)

-- stdout and stderr
check.eq(io.write("hi ", "there", "\n"), io.stdout, "io.write returns the output file")
term.setTextColour(colors.lime)
check.eq(io.stderr:write(""), io.stderr, "stderr write returns it")
check.eq(term.getTextColour(), colors.lime, "stderr puts the colour back")
check.same({io.stdout:close()}, {nil, "attempt to close standard stream"}, "stdout stays open")
check.eq(io.type(io.stdout), "file", "stdout is a file")
check.eq(tostring(io.stderr), "file (stderr)", "stderr's name")
-- io.write reaches file:write by a tail call in CC: the error names no function
local ok, err = pcall(function() io.write({}) end)
check.truthy(not ok and err:find("bad argument #1 (string or number expected, got table)", 1, true), "io.write({}): " .. tostring(err))
check.raises("bad argument #2 to 'write' (string or number expected, got nil)", function() io.stdout:write("", nil) end)
check.eq(io.stdout:setvbuf("no"), true, "setvbuf")
check.eq(io.flush(), io.stdout, "io.flush returns the output")

-- files
local f = assert(io.open("/s.txt", "w"))
f:write("abc\n", 12, "\n")
check.raises("file is not readable", f.read, f)
f:close()
check.raises("attempt to use a closed file", f.write, f, "x")
check.raises("bad argument #1 to 'write' (FILE* expected, got string)", f.write, "x")
f = assert(io.open("/s.txt"))
check.same({f:write("x")}, {nil, "file is not writable"}, "a read-only file")
check.eq(f:read(0), "", "read(0) is '' before the end")
check.eq(f:read(2), "ab", "read(2)")
check.eq(f:seek("cur"), 2, "seek reports the position")
check.raises("bad argument #1 to 'seek' (string expected, got number)", function() local r = f:seek(1) return r end)
check.eq(f:read("a"), "c\n12\n", "read('a') the rest")
check.eq(f:read(0), nil, "read(0) is nil at the end")
check.eq(f:read("a"), "", "read('a') at the end is ''")
check.eq(f:read("l"), nil, "read('l') at the end is nil")
f:seek("set", 0)
local lines = {}
for a, b in f:lines("l", "l") do lines[#lines + 1] = a .. "+" .. tostring(b) end
check.same(lines, {"abc+12"}, "file:lines with two formats")
f:close()
local it = io.lines("/s.txt")
check.eq(it(), "abc", "io.lines(path)")
check.eq(it(), "12", "second line")
check.eq(it(), nil, "end")
check.raises("file is already closed", it)
ok, err = pcall(function() local r = io.lines("/nope.txt") return r end)
check.truthy(not ok and err:find("cc_io_streams.lua:%d+: /nope.txt: No such file$"), "io.lines on a missing file: " .. tostring(err))
check.raises("/nope.txt: No such file", io.input, "/nope.txt")
check.raises("bad argument #1 (FILE* or string expected, got number)", io.input, 1)
check.raises("bad argument #1 to 'close' (FILE* expected, got number)", function() local r = io.close(1) return r end)
check.eq(io.type(42), nil, "io.type of a number")
check.eq(io.type(setmetatable({}, {__name = "FILE*"})), nil, "a look-alike is no file")
check.raises("bad argument #1 to 'open' (string expected, got nil)", function() local r = io.open() return r end)
check.raises("Unsupported mode", io.open, "/s.txt", "rw")
io.output("/o.txt")
io.write("out")
check.eq(io.close(), true, "io.close() closes the output")
io.output(io.stdout)
check.eq(io.open("/o.txt"):read("a"), "out", "written through io.output")
-- A background writer with tostop stops inside io.write (a yield through
-- io's C functions and write()), and finishes once in the foreground.
local process = require("system.process")
local ipc = require("system.ipc")
process.tty("tostop", true)
local child = process.startString([[
  io.write("child speaks\n")
  io.stderr:write("child errs\n")
]], "talker")
check.eventually(function() return check.state(child) == "stopped" end, 10, "the writer stops")
process.setforeground(child)
ipc.kill(child, ipc.signal.SIGCONT)
check.eq(process.wait(child, 10), 0, "the writer finished its writes")
process.tty("tostop", false)
print("io streams ok")
