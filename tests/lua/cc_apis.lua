-- colors, cc.expect, cc.strings, cc.pretty, settings, vector, bit32, os, fs
-- path rules, the old globals and the Lua dialect.
-- expect-out: apis ok
local check = require("lib.check")

-- colors
check.eq(colors.combine(colors.red, colors.brown, colors.green), 0x7000, "combine")
check.eq(colors.subtract(0x7000, colors.red, colors.green, colors.red), 0x1000, "subtract")
check.eq(colors.test(0x7000, 0x5000), true, "test")
check.eq(colors.packRGB(0.3, 0.5, 0.6), 0x4c7f99, "packRGB")
check.eq(colors.toBlit(16385), "e", "toBlit floors")
check.eq(colors.fromBlit("f"), colors.black, "fromBlit")
check.eq(colors.fromBlit("not hex"), nil, "fromBlit bad")
check.raises("bad argument #2 (number expected, got nil)", colors.combine, 1, nil)
check.eq(colours.grey, colors.gray, "colours")
check.eq(keys.getName(keys.enter), "enter", "keys.getName")

-- cc.expect
local e = require("cc.expect")
check.raises("bad argument #1 (string expected, got nil)", e.expect, 1, nil, "string")
check.raises("bad argument #2 (string, table or number expected, got boolean)", e.expect, 2, false, "string", "table", "number", "nil")
local function worker() e.expect(1, nil, "string") end
local function trampoline() worker() end
local _, err = pcall(trampoline)
check.truthy(err:find("bad argument #1 to 'worker' %(string expected, got nil%)$"), "names the caller: " .. err)
check.raises("field 'k' missing from table", e.field, {}, "k", "string")
check.raises("bad field 'l' (nil expected, got number)", e.field, {l = 1}, "l", "nil")
check.raises("number outside of range (expected 2 to be within 0 and 1)", e.range, 2, 0, 1)
check.raises("number outside of range (expected 0 to be within 1 and inf)", e.range, 0, 1)
check.eq(e(1, "x", "string"), "x", "callable module")

-- cc.strings
local strings = require("cc.strings")
check.same(strings.wrap("This is a long string which one would hope wraps.", 20),
  {"This is a long ", "string which one ", "would hope wraps."}, "wrap")
check.eq(strings.ensure_width("abc", 5), "abc  ", "ensure_width pads")
check.eq(strings.ensure_width("abcdef", 3), "abc", "ensure_width cuts")
check.same(strings.split("a,b,,c", ","), {"a", "b", "", "c"}, "split")

-- cc.pretty
local pretty = require("cc.pretty")
check.eq(pretty.render(pretty.pretty({1, 2, a = "x"}), 80), '{ 1, 2, a = "x" }', "pretty flat")
check.eq(pretty.render(pretty.group(pretty.text("hello") .. pretty.space_line .. pretty.text("world")), 5),
  "hello\nworld", "group breaks")

-- settings
settings.define("test.value", {default = 3, type = "number", description = "a test"})
check.eq(settings.get("test.value"), 3, "default")
settings.set("test.value", 5)
check.eq(settings.get("test.value"), 5, "set")
check.raises("bad argument #2 (number expected, got string)", settings.set, "test.value", "x")
check.eq(settings.getDetails("test.value").description, "a test", "details")
settings.unset("test.value")
check.eq(settings.get("test.value"), 3, "unset")
settings.set("test.saved", "yes")
check.truthy(settings.save("/test.settings"), "save")
settings.clear()
check.eq(settings.get("test.saved"), nil, "cleared")
check.truthy(settings.load("/test.settings"), "load")
check.eq(settings.get("test.saved"), "yes", "loaded")

-- vector, bit32, bit
local v = vector.new(1, 2, 3) + vector.new(1, 1, 1)
check.eq(tostring(v), "2,3,4", "vector add")
check.eq(vector.new(1, 0, 0):cross(vector.new(0, 1, 0)):tostring(), "0,0,1", "cross")
check.eq(bit32.band(0xFF, 0x0F), 0x0F, "band")
check.eq(bit32.bnot(0), 0xFFFFFFFF, "bnot")
check.eq(bit32.arshift(0x80000000, 4), 0xF8000000, "arshift")
check.eq(bit.bnot(0), -1, "bit is signed")

-- os
check.eq(os.version(), "CraftOS 1.9", "version")
check.truthy(_HOST:find("^ComputerCraft"), "_HOST")
check.eq(type(_CC_DEFAULT_SETTINGS), "string", "_CC_DEFAULT_SETTINGS")
check.eq(os.time({year = 2000, month = 1, day = 1, hour = 0}) - os.time({year = 1999, month = 12, day = 31, hour = 0}), 86400, "os.time{}")
check.eq(os.date("!%Y-%m-%d", 0), "1970-01-01", "os.date")
check.eq(os.date("!*t", 0).year, 1970, "os.date *t")
check.eq(math.type(os.day()), "integer", "os.day")
check.eq(arg[0]:match("cc_apis.lua$") ~= nil, true, "arg[0]")
local api = fs.open("/myapi.lua", "w") api.write("function hi() return 'hi' end") api.close()
check.truthy(os.loadAPI("/myapi.lua"), "loadAPI")
check.eq(myapi.hi(), "hi", "API loaded as a global")
os.unloadAPI("myapi")
check.eq(rawget(_G, "myapi"), nil, "unloadAPI")
check.truthy(os.run({}, "/myapi.lua"), "os.run")

-- fs path rules are CC's
check.eq(fs.combine("a", "b/../c", "d"), "a/c/d", "combine")
check.eq(fs.combine("/a/", "../../b"), "../b", "combine keeps a leading ..")
check.eq(fs.getName("a/b"), "b", "getName")
check.eq(fs.getName(""), "root", "getName root")
check.eq(fs.getDir("a/b"), "a", "getDir")
check.eq(fs.getDir("a"), "", "getDir top")
check.eq(fs.getDir(""), "..", "getDir root")
check.same(fs.find("rom/bios/s*.lua"), {"rom/bios/settings.lua", "rom/bios/shell.lua", "rom/bios/sleep.lua"}, "find")
check.truthy(fs.isDriveRoot("rom"), "rom is a drive root")
check.truthy(fs.isDriveRoot("/"), "the root is a drive root")
check.eq(fs.isDriveRoot("rom/init.lua"), false, "a file is not")
check.eq(fs.getCapacity("rom"), nil, "no capacity on the rom")
check.raises("/x: No such file", fs.getSize, "x")
check.raises("/rom/x: Access denied", fs.makeDir, "rom/x")
fs.makeDir("some-folder")
check.raises("/some-folder: Can't copy a directory inside itself", fs.copy, "some-folder", "Some-Folder/x")
check.raises("Can't move a directory inside itself", fs.move, "some-folder", "some-folder/child")
check.raises("Access denied", fs.move, "rom", "rom/move")
check.raises("No such file", fs.move, "nothing-here", "dest")
local src = fs.open("move-src", "w") src.close()
fs.move("move-src", "made/on/the/way/file")
check.truthy(fs.exists("made/on/the/way/file"), "move makes the directories on the way")
fs.makeDir("tmp/hidden")
fs.open("tmp/hidden/file.txt", "w").close()
fs.open("tmp/hidden/.hidden.txt", "w").close()
local files_only = {include_files = true, include_dirs = false, include_hidden = false}
check.same(fs.complete("", "tmp/hidden", files_only), {"../", "file.txt"}, "complete in a directory")
check.same(fs.complete("tmp/hidden/", "", files_only), {"file.txt"}, "complete a path")
check.same(fs.complete(".", "tmp/hidden", files_only), {"./", "hidden.txt"}, "a dot shows hidden files")
check.same(fs.complete("file.", "tmp/hidden", files_only), {"txt"}, "complete a name")

-- old globals and the dialect
local f = loadstring("return x")
setfenv(f, {x = 42})
check.eq(f(), 42, "setfenv")
check.eq(getfenv(f).x, 42, "getfenv")
check.eq(select("#", unpack({1, 2, 3})), 3, "unpack")
check.eq(math.pow(2, 10), 1024.0, "math.pow")
check.eq(table.maxn({[7] = true}), 7, "table.maxn")
check.eq(load('return "a\\ b\\q"')(), "a bq", "escapes Cobalt accepts")
check.eq(load('return [[\\ ]]')(), "\\ ", "long strings untouched")
check.eq(10 / 2, 5.0, "numbers stay Lua 5.4's")
-- the base library's checks, in cc.expect's words
check.raises("bad argument #1 (number expected, got boolean)", sleep, false)
check.raises("bad argument #1 (string or number expected, got nil)", write, nil)
check.raises("bad argument #1 (string expected, got nil)", loadfile, nil)
check.raises("bad argument #2 (string expected, got boolean)", loadfile, "", false)
check.raises("bad argument #3 (table expected, got boolean)", loadfile, "", "", false)
check.raises("File not found", dofile, "")
check.raises("bad argument #1 (function or string expected, got nil)", load, nil)
check.raises("bad argument #4 (table expected, got boolean)", load, "", "", "", false)
local envfile = fs.open("/env.lua", "w") envfile.write("return _ENV") envfile.close()
check.eq(loadfile("env.lua")(), _G, "loadfile uses the globals")
local env = {}
check.eq(loadfile("env.lua", env)(), env, "the old loadfile(path, env)")
check.eq(loadfile("env.lua", nil, env)(), env, "loadfile(path, mode, env)")

-- peripheral with nothing attached, and a fake wrapped peripheral
local fake = setmetatable({}, {__name = "peripheral", name = "top", type = "modem",
                               types = {"modem", "inventory", modem = true, inventory = true}})
check.eq(peripheral.getName(fake), "top", "getName of a wrapped peripheral")
check.same({peripheral.getType(fake)}, {"modem", "inventory"}, "getType returns every type")
check.eq(peripheral.hasType(fake, "inventory"), true, "hasType")
check.eq(peripheral.hasType(fake, "else"), false, "hasType false")
check.raises("bad argument #1 (table is not a peripheral)", peripheral.getName, {})
check.raises("bad argument #1 (string or table expected, got nil)", peripheral.getType, nil)
check.eq(peripheral.getType("left"), nil, "nothing on the left")
check.eq(peripheral.call("left", "x"), nil, "call on nothing")
check.raises("bad argument #2 (string expected, got nil)", peripheral.call, "", nil)
check.eq(peripheral.find("modem"), nil, "find nothing")
print("apis ok")
