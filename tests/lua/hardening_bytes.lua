-- Strings are bytes (issue 21, findings 1, 10 and 13): names and arguments
-- that are not UTF-8 reach config.json losslessly instead of aborting the
-- host; a NUL in a path is an argument error everywhere instead of cutting
-- the path short; a deeply nested modem message gets one answer, always.
-- expect-out: bytes ok
-- expect-file: .moonbox/config.json "name_hex": "fffe"
-- expect-file: .moonbox/config.json "argument_hex": "eda080"
local check = require("lib.check")

-- 1: each of these aborted moonbox (nlohmann's invalid UTF-8 exception)
check.eq(periphemu.create("\255\254", "monitor"), true)
check.eq(periphemu.create("top", "drive", "\195"), true)           -- a lone lead byte
check.eq(periphemu.create("\192\175", "drive", "\237\160\128"), true)  -- overlong; a surrogate
check.eq(periphemu.create("ok\226\130\172", "monitor"), true)      -- valid UTF-8 stays text
check.eq(peripheral.getType("\255\254"), "monitor")
check.eq(peripheral.isPresent("\192\175"), true)

-- 10: a NUL in a path
local f = fs.open("/a", "w") f.write("ran_a = true") f.close()
ran_a = nil
check.raises("bad argument #1 to 'loadfile' (path contains a NUL byte)", loadfile, "/a\0.txt")
check.raises("bad argument #1 to 'dofile' (path contains a NUL byte)", dofile, "/a\0.txt")
check.raises("path contains a NUL byte", os.run, {}, "/a\0.txt")
check.raises("path contains a NUL byte", os.loadAPI, "/a\0.txt")
check.raises("bad argument #1 to 'require' (path contains a NUL byte)", require, "a\0.txt")
check.raises("bad argument #1 to 'start' (path contains a NUL byte)", require("system.process").start, "/a\0.lua")
check.raises("bad argument #1 (path contains a NUL byte)", fs.open, "/a\0.txt", "r")
check.eq(ran_a, nil, "/a never ran")

-- 13: a message nested 100,000 deep: the same answer every time, for the
-- right argument, whatever ran before
assert(periphemu.create("back", "modem"))
local modem = peripheral.wrap("back")
local deep = {}
local t = deep
for i = 1, 100000 do t[1] = {} t = t[1] end
local first = check.raises("bad argument #3", modem.transmit, 1, 1, deep)
for i = 1, 3 do
  local again = check.raises("bad argument #3", modem.transmit, 1, 1, deep)
  check.eq(again, first, "the same answer")
  local grow = {} for k = 1, 20000 do grow[k] = {k} end  -- what ran before differs
end
print("bytes ok")
