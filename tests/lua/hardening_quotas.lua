-- Host resources have owners (issue 21, findings 4 to 9): floppies keep
-- their capacity, a directory cannot be copied into itself through a drive
-- alias, sizes on disk are real sizes (a far seek, an in-place rewrite), and
-- the host-side tables a program can grow are bounded.
-- expect-out: quotas ok
-- world-file: printouts/0/4095.txt printout.txt
-- expect-file: .moonbox/world/printouts/0/4096.txt the last page
local check = require("lib.check")

-- 4: a floppy's capacity holds for writes and for copies onto it
assert(periphemu.create("left", "drive", 5))
check.eq(fs.getCapacity("/disk"), 125000)
local h = fs.open("/disk/big", "w")
local written = 0
local ok, err = pcall(function()
  for i = 1, 300 do h.write(string.rep("x", 1000)) written = written + 1000 end
end)
h.close()
check.eq(ok, false, "300,000 bytes on a 125,000-byte floppy")
check.truthy(err:find("Out of space", 1, true), err)
check.eq(written, 125000, "bytes written before the floppy was full")
check.eq(fs.getFreeSpace("/disk"), 0)
fs.delete("/disk/big")
check.eq(fs.getFreeSpace("/disk"), 125000, "a delete gives the room back")
local src = fs.open("/src", "w") src.write(string.rep("y", 200000)) src.close()
check.raises("/disk/src: Out of space", fs.copy, "/src", "/disk/src")
check.eq(fs.exists("/disk/src"), false)
-- the same floppy in a second drive shares its space
assert(periphemu.create("right", "drive", 5))
local a = fs.open("/disk/a", "w") a.write(string.rep("a", 100000)) a.close()
check.eq(fs.getFreeSpace("/disk2"), 25000, "one floppy, one space")
fs.delete("/disk/a")
periphemu.remove("right")

-- every file and directory takes at least 500 bytes (CC's rule): empty ones
-- cannot fill the host with entries
local free = fs.getFreeSpace("/disk")
fs.makeDir("/disk/d1")
check.eq(free - fs.getFreeSpace("/disk"), 500, "an empty directory")
local e = fs.open("/disk/d1/empty", "w") e.close()
check.eq(free - fs.getFreeSpace("/disk"), 1000, "and an empty file in it")
local small = fs.open("/disk/small", "w") small.write(string.rep("s", 700)) small.close()
check.eq(free - fs.getFreeSpace("/disk"), 1700, "a 700-byte file")
fs.makeDir("/disk/x/y/z")
check.eq(free - fs.getFreeSpace("/disk"), 3200, "three directories made at once")
local entries, entry_err = 0
while true do
  local ok3, handle = pcall(fs.open, "/disk/e" .. entries, "w")
  if not handle then entry_err = select(2, fs.open("/disk/e" .. entries, "w")) break end
  handle.close()
  entries = entries + 1
end
check.eq(entries, (125000 - 3200) // 500, "empty files that fit on a floppy")
check.eq(entry_err, "/disk/e" .. entries .. ": Out of space")
check.raises("Out of space", fs.makeDir, "/disk/more")
for i = 0, entries - 1 do fs.delete("/disk/e" .. i) end
fs.delete("/disk/d1") fs.delete("/disk/small") fs.delete("/disk/x")
check.eq(fs.getFreeSpace("/disk"), free, "all of it back")

-- 5: copying a directory into itself through a drive alias of it
fs.makeDir("/a")
local f = fs.open("/a/file", "w") f.write("content") f.close()
assert(periphemu.create("top", "drive", "/a"))
local alias = disk.getMountPath("top")
check.raises("Can't copy a directory inside itself", fs.copy, "/" .. alias, "/a/b")
check.raises("Can't move a directory inside itself", fs.move, "/a", "/" .. alias .. "/b")
check.eq(fs.exists("/a/b"), false, "nothing was copied")
periphemu.remove("top")

-- 6: a seek far past the end, then a write, needs all the room it adds
local before = fs.getFreeSpace("/")
for _, mode in ipairs({"w", "wb", "w+", "r+"}) do
  local s = fs.open("/sparse", mode)
  check.eq(s.seek("set", 2^40), 2^40)
  check.raises("Out of space", s.write, "x")
  s.close()
end
local io_file = io.open("/sparse", "w")
io_file:seek("set", 2^40)
check.raises("Out of space", io_file.write, io_file, "x")
io_file:close()
check.eq(fs.getSize("/sparse"), 0)
-- a hole that fits is counted whole
local s = fs.open("/sparse", "w")
s.seek("set", 1000)
s.write("x")
s.close()
check.eq(fs.getSize("/sparse"), 1001)
check.eq(before - fs.getFreeSpace("/"), 1001, "the hole counts")
fs.delete("/sparse")

-- 7: rewriting a file in place takes no new room
local big = string.rep("z", 1024 * 1024)
local w = fs.open("/rw", "w") w.write(big) w.close()
local after_first = fs.getFreeSpace("/")
for i = 1, 80 do
  local r = fs.open("/rw", "r+")
  r.write(big)
  r.close()
end
check.eq(fs.getFreeSpace("/"), after_first, "80 in-place rewrites of 1 MiB")
local r = fs.open("/rw", "r+") r.seek("set", 1024 * 1024 - 1) r.write("ab") r.close()
check.eq(after_first - fs.getFreeSpace("/"), 1, "one byte past the end")
fs.delete("/rw")

-- 8: rednet.host's table is bounded, and so are its names
peripheral.find = peripheral.find  -- (rednet needs no modem to host)
check.raises("protocol name too long", rednet.host, string.rep("p", 300), "me")
check.raises("hostname too long", rednet.host, "p", string.rep("h", 300))
for i = 1, 256 do rednet.host("proto" .. i, "host" .. i) end
check.raises("Too many hosted protocols", rednet.host, "one-more", "h")
rednet.host("proto1", "renamed")  -- a protocol already hosted may change its name
rednet.unhost("proto2")
rednet.host("one-more", "h")

-- 9: the world's floppies are bounded; labels are cut to 32 bytes
assert(periphemu.create("back", "drive"))
for id = 100, 100 + 30 do peripheral.call("back", "insertDisk", id) end
peripheral.call("back", "setDiskLabel", string.rep("L", 1000))
check.eq(#peripheral.call("back", "getDiskLabel"), 32)
local made = 0
local ok2, err2 = pcall(function()
  for id = 1000, 3000 do peripheral.call("back", "insertDisk", id) made = made + 1 end
end)
check.eq(ok2, false, "thousands of floppies")
check.truthy(err2:find("Too many floppies in this world", 1, true), err2)
check.truthy(made < 1024, "floppies made: " .. made)
-- a floppy that exists can still be inserted
peripheral.call("back", "insertDisk", 100)

-- a printer refills when attached again, but the computer's output tray
-- (the world's printouts/<id>/) holds 4096 pages: then newPage is false, as
-- a CC printer's with a full tray. The tray already holds page 4095.
assert(periphemu.create("printer_x", "printer"))
local p = peripheral.wrap("printer_x")
check.eq(p.newPage(), true)
p.write("the last page")
check.eq(p.endPage(), true)
check.eq(p.newPage(), false, "a full tray")
check.eq(p.getInkLevel(), 63, "ink left")
periphemu.remove("printer_x")

-- process names are kept to 256 bytes on the host
local process = require("system.process")
local pid = process.startString("return 1", string.rep("n", 100000))
check.eq(#process.getpinfo(pid).name, 256)
process.wait(pid)
print("quotas ok")
