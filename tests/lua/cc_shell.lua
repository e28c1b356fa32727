-- The shell API in a program, shell.run (in the caller's process), and the CC
-- programs.
-- expect-out: shell ok
local check = require("lib.check")

check.eq(shell.dir(), "", "the root is \"\"")
check.eq(shell.resolve("foo"), "foo", "resolve")
check.eq(shell.resolve("/rom/../x"), "x", "resolve absolute")
check.eq(shell.resolveProgram("ls"), "rom/programs/list.lua", "alias and path")
check.eq(shell.resolveProgram("worm"), "rom/programs/fun/worm.lua", "fun")
check.eq(shell.resolveProgram("nonexistent"), nil, "missing")
check.truthy(shell.getRunningProgram():find("cc_shell.lua$"), "running program")
shell.setAlias("hello2", "id")
check.eq(shell.aliases().hello2, "id", "alias")
local names = shell.programs()
local seen = {}
for _, n in ipairs(names) do seen[n] = true end
for _, n in ipairs({"alias", "apis", "cd", "clear", "copy", "delete", "drive", "edit", "eject", "exit", "help",
                    "id", "label", "list", "lua", "mkdir", "motd", "move", "peripherals", "programs", "reboot",
                    "rename", "set", "shell", "shutdown", "time", "type", "worm", "adventure"}) do
  check.truthy(seen[n], "program " .. n)
end
check.same(shell.complete("lis"), {"t "}, "complete a program")

-- shell.run runs the child in this process; changes to the directory stay
fs.makeDir("/work")
check.truthy(shell.run("mkdir", "/work/sub"), "run mkdir")
check.truthy(fs.isDir("/work/sub"), "made")
check.truthy(shell.run("cd work"), "cd in a child")
check.eq(shell.dir(), "work", "the child's cd came back")
check.eq(shell.resolve("x"), "work/x", "resolve follows dir")
shell.setDir("/")
check.eq(shell.run("nonexistent"), false, "missing program fails")
local f = fs.open("/fails.lua", "w") f.write("error('no')") f.close()
check.eq(shell.run("/fails.lua"), false, "failing program")
check.truthy(shell.run("label set mybox"), "label program")
check.eq(os.getComputerLabel(), "mybox", "label set by the child")
check.truthy(shell.run("copy /fails.lua /copied.lua"), "copy")
check.truthy(fs.exists("/copied.lua"), "copied")
check.truthy(shell.run("rename /copied.lua /renamed.lua"), "rename")
check.truthy(shell.run("delete /renamed.lua"), "delete")
check.eq(fs.exists("/renamed.lua"), false, "deleted")
check.truthy(help.lookup("list"), "help page for list")

-- hashbangs: "#!target args" runs target with the args, the file and its own
local dump = fs.open("/dump.lua", "w")
dump.write("local f = fs.open('/args.txt', 'w') f.write(textutils.serialise({...}, {compact = true})) f.close()")
dump.close()
local bang = fs.open("/bang.lua", "w") bang.write('#!/dump.lua "one two" three\nerror("not run")') bang.close()
check.truthy(shell.execute("/bang.lua", "x", "y"), "hashbang runs")
local args_file = fs.open("/args.txt", "r")
check.eq(args_file.readAll(), '{"one two","three","bang.lua","x","y",}', "hashbang arguments")
args_file.close()
local loop = fs.open("/loop.lua", "w") loop.write("#!/loop.lua") loop.close()
check.eq(shell.execute("/loop.lua"), false, "hashbang recursion fails")
local shebang = fs.open("/shebang.lua", "w") shebang.write("# a first line starting with #\nreturn 1") shebang.close()
check.truthy(shell.run("/shebang.lua"), "a first # line is a comment")

-- arg[0] is the command as typed; getRunningProgram is the resolved path
local who = fs.open("/work/who.lua", "w")
who.write("local f = fs.open('/who.txt', 'w') f.write(arg[0] .. '|' .. shell.getRunningProgram()) f.close()")
who.close()
shell.setDir("work")
check.truthy(shell.run("who"), "run by a relative name")
shell.setDir("/")
local who_file = fs.open("/who.txt", "r")
check.eq(who_file.readAll(), "who|work/who.lua", "arg[0] as typed, running program resolved")
who_file.close()

-- require looks for relative modules beside the program, not in the shell's directory
fs.makeDir("/work/mods")
local mod = fs.open("/work/mods/near.lua", "w") mod.write("return {where = 'beside'}") mod.close()
local user = fs.open("/work/user.lua", "w")
user.write("local f = fs.open('/req.txt', 'w') f.write(require('mods.near').where) "
  .. "f.write('|' .. select(2, pcall(require, 'gone')):gsub('\\n.*', '')) f.close()")
user.close()
check.truthy(shell.run("/work/user.lua"), "a program requiring beside itself")
local req_file = fs.open("/req.txt", "r")
check.eq(req_file.readAll(), "beside|module 'gone' not found:", "found beside the program")
req_file.close()
local ok, missing = pcall(require, "gone")
check.eq(ok, false, "missing module")
check.truthy(missing:find("\n  no file 'gone.lua'\n", 1, true), "CC's wording: " .. missing)
check.raises("bad argument #1 (string expected, got nil)", require, nil)
print("shell ok")
