-- The drive peripheral and CC's disk API: floppies as host directories
-- (numbered, or a directory of this computer), mounted at /disk, /disk2;
-- the disk and disk_eject events; labels; fs on a floppy; paths that try
-- to leave the data directory.
-- expect-out: done
-- expect-file: .moonbox/world/disk/4/notes.txt kept on floppy 4
local check = require("lib.check")

-- nothing attached: CC's answers
check.eq(disk.isPresent("left"), false)
check.eq(disk.getMountPath("left"), nil)
check.eq(disk.getID("left"), nil)
check.raises("bad argument #1 to 'isDrive' (string expected, got nil)", disk.isPresent)

assert(periphemu.create("left", "drive"))
assert(periphemu.create("right", "drive", "7"))  -- starts with floppy 7 inside
check.eq(select(2, os.pullEvent("disk")), "right")
check.eq(disk.isPresent("left"), false)
check.eq(disk.hasData("left"), false)
check.eq(disk.getAudioTitle("left"), false)
check.eq(disk.isPresent("right"), true)
check.eq(disk.getID("right"), 7)
check.eq(disk.getMountPath("right"), "disk")

peripheral.call("left", "insertDisk", 4)
check.eq(select(2, os.pullEvent("disk")), "left")
check.eq(disk.isPresent("left"), true)
check.eq(disk.hasData("left"), true)
check.eq(disk.hasAudio("left"), false)
check.eq(disk.getAudioTitle("left"), nil)
check.eq(disk.getID("left"), 4)
check.eq(disk.getMountPath("left"), "disk2")

-- the mounts, in fs
local root = table.concat(fs.list("/"), ",")
check.truthy(root:find("disk,disk2", 1, true), "root lists both floppies: " .. root)
check.eq(fs.getDrive("disk2"), "left")
check.eq(fs.getDrive("disk2/x") , nil)
check.eq(fs.isDriveRoot("disk2"), true)
check.eq(fs.getCapacity("disk2"), 125000)
local f = fs.open("disk2/notes.txt", "w")
f.write("kept on floppy 4")
f.close()
check.eq(fs.getDrive("disk2/notes.txt"), "left")
check.truthy(fs.getFreeSpace("disk2") < 125000)
check.raises("Access denied", fs.delete, "disk2")
check.raises("Access denied", fs.move, "disk2", "elsewhere")

-- labels
check.eq(disk.getLabel("left"), nil)
disk.setLabel("left", "Notes")
check.eq(disk.getLabel("left"), "Notes")
check.raises("bad argument #2 (string expected, got number)", disk.setLabel, "left", 5)

-- eject: unmounted, disk_eject
disk.eject("left")
check.eq(select(2, os.pullEvent("disk_eject")), "left")
check.eq(disk.isPresent("left"), false)
check.eq(fs.exists("disk2"), false)
check.eq(fs.exists("disk2/notes.txt"), false)

-- the same floppy again: its files and label came along
peripheral.call("left", "insertDisk", 4)
check.eq(disk.getLabel("left"), "Notes")
check.eq(disk.getMountPath("left"), "disk2")
local r = fs.open("disk2/notes.txt", "r")
check.eq(r.readAll(), "kept on floppy 4")
r.close()

-- a directory of this computer as a floppy
fs.makeDir("/floppy")
local g = fs.open("/floppy/a.txt", "w") g.write("A") g.close()
peripheral.call("left", "insertDisk", "/floppy")
check.eq(disk.getID("left"), nil)
check.eq(fs.exists("disk2/a.txt"), true)
-- paths never leave the data directory: .. stops at the root
check.raises("Not a directory", peripheral.call, "left", "insertDisk", "/rom")
check.raises("Not a directory", peripheral.call, "left", "insertDisk", "../../../../etc")
check.raises("Not a directory", peripheral.call, "left", "insertDisk", "/disk")
check.raises("Not a directory", peripheral.call, "left", "insertDisk", "/")
check.raises("bad argument #1 (number or string expected, got nil)", peripheral.call, "left", "insertDisk")
check.raises("Disk ID out of range", peripheral.call, "left", "insertDisk", -1)

-- detaching a drive unmounts its floppy
periphemu.remove("left")
check.eq(fs.exists("disk2"), false)
check.eq(fs.exists("disk"), true)

-- a drive made with a directory inside (periphemu's third argument)
assert(periphemu.create("top", "drive", "floppy"))
check.eq(disk.isPresent("top"), true)
check.eq(fs.exists(disk.getMountPath("top") .. "/a.txt"), true)
assert(periphemu.create("bottom", "drive", "/no/such/dir"))
check.eq(disk.isPresent("bottom"), false)

-- the eject program
shell.run("eject", "right")
check.eq(fs.exists("disk"), false)
print("done")
