-- The CC fs API over the virtual file system.
-- expect-out: fs ok
local check = require("lib.check")
local process = require("system.process")

-- write, append, read back
local h = assert(fs.open("/notes/a.txt", "w"))
h.write("line one\n")
h.writeLine("line two")
h.close()
h = assert(fs.open("/notes/a.txt", "a"))
h.write(3)
h.close()
h = assert(fs.open("/notes/a.txt", "r"))
check.eq(h.readLine(), "line one", "readLine")
check.eq(h.readLine(true), "line two\n", "readLine keeps the newline when asked")
check.eq(h.readAll(), "3", "readAll")
check.eq(h.readLine(), nil, "end of file")
h.close()
check.raises("attempt to use a closed file", h.readLine)
-- colon calls work too
h = assert(fs.open("/notes/a.txt", "r"))
check.eq(h:readLine(), "line one", "h:readLine()")
h:close()

-- binary handles
h = assert(fs.open("/bin.dat", "wb"))
h.write(0); h.write(255); h.write("\1\2")
h.close()
h = assert(fs.open("/bin.dat", "rb"))
check.eq(h.read(), 0, "byte"); check.eq(h.read(), 255, "byte 255"); check.eq(h.read(2), "\1\2", "bytes")
check.eq(h.read(), nil, "eof")
h.close()

-- the directory functions
check.eq(fs.exists("/notes/a.txt"), true, "exists")
check.eq(fs.isDir("/notes"), true, "isDir")
check.eq(fs.getSize("/notes/a.txt"), 19, "getSize")
check.eq(fs.getName("/notes/a.txt"), "a.txt", "getName")
check.eq(fs.getDir("/notes/a.txt"), "notes", "getDir")
check.eq(fs.getDir("notes"), "", "getDir of a top-level name")
check.eq(fs.getDir(""), "..", "getDir of the root")
check.eq(fs.getName(""), "root", "getName of the root")
check.eq(fs.combine("a", "b/../c", "d"), "a/c/d", "combine")
fs.makeDir("/x/y/z")
check.eq(fs.isDir("/x/y/z"), true, "makeDir makes parents")
fs.copy("/notes/a.txt", "/x/copy.txt")
fs.move("/x/copy.txt", "/x/moved.txt")
check.eq(fs.exists("/x/copy.txt"), false, "moved away")
check.eq(fs.getSize("/x/moved.txt"), 19, "moved")
local names = fs.list("/")
local seen = {}
for _, n in ipairs(names) do seen[n] = true end
check.truthy(seen.rom and seen.notes and seen.x and seen.lib, "list / shows rom and our files")
fs.delete("/x")
check.eq(fs.exists("/x"), false, "delete a tree")
check.raises("Not a directory", fs.list, "/notes/a.txt")

-- fs paths are relative to the root, as in CC, whatever the working directory
process.chdir("/notes")
check.eq(fs.exists("a.txt"), false, "not relative to cwd")
check.eq(fs.exists("notes/a.txt"), true, "relative to the root")
process.chdir("/")

-- paths never leave the root: .. stops at /
check.eq(fs.combine("..", "..", "etc"), "../../etc", "combine keeps leading .., as CC")
check.eq(fs.exists("../../etc/passwd"), false, "but .. never leaves the root")
check.eq(fs.exists("/../../../etc/passwd"), false, "no host /etc/passwd")
h = assert(fs.open("../../../escape.txt", "w"))
h.write("inside")
h.close()
check.eq(fs.exists("/escape.txt"), true, "../ stays in the root")

-- /rom is read-only
check.eq(fs.isReadOnly("/rom/startup.lua"), true, "rom is read-only")
check.eq(fs.isReadOnly("/notes"), false, "data is writable")
local nh, err = fs.open("/rom/evil.lua", "w")
check.eq(nh, nil, "no writing into rom")
check.truthy(err:find("Access denied", 1, true), "message: " .. tostring(err))
check.raises("Access denied", fs.delete, "/rom/startup.lua")
check.raises("Access denied", fs.makeDir, "/rom/new")
check.raises("Access denied", fs.copy, "/notes/a.txt", "/rom/a.txt")
check.eq(fs.exists("/rom/startup.lua"), true, "rom intact")
check.eq(fs.getDrive("/rom/startup.lua"), "rom", "drive of rom")

-- missing files and bad modes
nh, err = fs.open("/missing.txt", "r")
check.eq(nh, nil, "missing")
check.truthy(err:find("No such file", 1, true), "missing message")
check.raises("Unsupported mode", fs.open, "/a", "x")
check.raises("Unsupported mode", fs.open, "/a", "rw")
check.raises("bad argument #1 (string expected, got nil)", fs.open)
check.raises("bad argument #1 (string expected, got table)", fs.exists, {})
-- NUL bytes never reach the host
check.raises("bad argument #1 (path contains a NUL byte)", fs.open, "/nul\0.txt", "w")
check.eq(fs.exists("/nul"), false, "nothing created")
check.raises("bad argument #1 (path too long)", fs.open, string.rep("a/", 3000), "w")

-- io over fs
local f = assert(io.open("/io.txt", "w"))
f:write("alpha\n", 42, "\n")
f:close()
local got = {}
for l in io.lines("/io.txt") do got[#got + 1] = l end
check.eq(got[1], "alpha", "io.lines 1"); check.eq(got[2], "42", "io.lines 2")
f = io.open("/io.txt")
check.eq(f:read("a"), "alpha\n42\n", "read all")
f:close()
print("fs ok")
