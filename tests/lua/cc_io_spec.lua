-- io as CC:Tweaked's own io spec exercises it (PUC Lua's io tests): io.lines' formats
-- and closing, io.open's argument errors, L mode fed to load, seeking and
-- appending through io.output.
-- expect-out: spec ok
local function eq(a, b, what) if a ~= b then error(what .. ": expected " .. tostring(b) .. " got " .. tostring(a), 2) end end
local function err(f, ...) local ok, e = pcall(f, ...) assert(not ok, "no error") return e end
local file, otherfile = "/t/tmp.txt", "/t/tmp2.txt"
local function write_file(f, c) local h = fs.open(f, "wb") h.write(c) h.close() end
eq(err(io.lines, ""), "/: Not a file", "lines ''")
eq(err(io.lines, false), "bad argument #1 (string expected, got boolean)", "lines false")
io.lines(nil)
assert(io.open("") == nil) io.open("", "r")
eq(err(io.open, nil), "bad argument #1 (string expected, got nil)", "open nil")
eq(err(io.open, "", false), "bad argument #2 (string expected, got boolean)", "open false")
write_file(file, "l1\nl2\nl3\n\nl5\nl6\n")
local n, f = 0, io.lines(file)
while f() do n = n + 1 end
eq(n, 6, "6 lines")
eq(err(f), "file is already closed", "closed1") eq(err(f), "file is already closed", "closed2")
write_file(file, "0123456789\n")
for a, b in io.lines(file, 1, 1) do if a == "\n" then eq(b, nil, "b nil") else eq(tonumber(a), tonumber(b) - 1, "pairs") end end
for a, b, c in io.lines(file, 1, 2, "a") do eq(a, "0", "a") eq(b, "12", "b") eq(c, "3456789\n", "c") end
for a, b, c in io.lines(file, "a", 0, 1) do if a == "" then break end eq(a, "0123456789\n", "all") eq(b, nil, "b") eq(c, nil, "c") end
write_file(file, "\n\nline\nother")
io.input(file)
eq(io.read"L", "\n", "L1") eq(io.read"L", "\n", "L2") eq(io.read"L", "line\n", "L3") eq(io.read"L", "other", "L4") eq(io.read"L", nil, "L5")
io.input():close()
io.input(file) local s = "" for l in io.lines(nil, "L") do s = s .. l end eq(s, "\n\nline\nother", "lines nil L") io.input():close()
write_file(file, "a = 10 + 34\na = 2*a\na = -a\n")
local t = {}
load(io.lines(file, "L"), nil, nil, t)()
eq(t.a, -88, "load lines")
fs.delete(file)
io.output(file)
eq(io.output():seek(), 0, "seek0")
assert(io.write("alo alo"))
eq(io.output():seek(), 7, "seek7")
eq(io.output():seek("cur", -3), 4, "seek4")
assert(io.write("joao"))
eq(io.output():seek("end"), 8, "end")
io.output(io.stdout)
io.output(file) io.write("alo\n") io.close()
err(io.write)
local h = io.open(file, "a") io.output(h) assert(io.write(" x ")) h:flush() io.flush() h:close()
io.output(io.stdout)
eq(fs.open(file, "r").readAll(), "alo\n x ", "append")
write_file(file, "alo\n 0123 ;end of file\n")
io.input(file)
eq(io.read(), "alo", "r1") eq(io.read(1), " ", "r2") eq(io.read(4), "0123", "r3") eq(io.read(1), " ", "r4")
eq(io.read(0), "", "r5") eq(io.read("*a"), ";end of file\n", "r6") eq(io.read(0), nil, "r7") eq(io.close(io.input()), true, "close")
io.input(io.stdin)
print("spec ok")
