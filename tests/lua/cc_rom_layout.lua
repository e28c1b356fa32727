-- CC's rom layout (issue 23): a CC program that lists, finds or resolves
-- anything under /rom sees what it would see in CC; moonbox's own files are
-- apart, in /rom/moonbox.
-- expect-out: rom layout ok
local check = require("lib.check")
local top = fs.list("rom")
for _, name in ipairs({"apis", "autorun", "help", "modules", "motd.txt", "programs", "startup.lua"}) do
  local found = false
  for _, n in ipairs(top) do if n == name then found = true end end
  check.truthy(found, "/rom/" .. name)
end
check.truthy(fs.isDir("rom/apis") and fs.isDir("rom/autorun") and fs.isDir("rom/modules/main"), "CC's folders")
for _, api in ipairs({"colors", "colours", "disk", "help", "keys", "paintutils", "parallel", "peripheral", "rednet",
                      "settings", "term", "textutils", "vector", "window"}) do
  check.truthy(fs.exists("rom/apis/" .. api .. ".lua"), "rom/apis/" .. api .. ".lua")
end
check.same(fs.find("rom/apis/c*.lua"), {"rom/apis/colors.lua", "rom/apis/colours.lua"})
check.eq(shell.resolveProgram("multishell"), "rom/programs/advanced/multishell.lua")
check.eq(shell.resolveProgram("fg"), "rom/programs/advanced/fg.lua")
check.eq(shell.resolveProgram("repeat"), "rom/programs/rednet/repeat.lua")
check.eq(shell.resolveProgram("worm"), "rom/programs/fun/worm.lua")
check.eq(shell.resolveProgram("paint"), "rom/programs/fun/advanced/paint.lua")
check.eq(fs.exists("rom/bios"), false, "no moonbox folder at CC's top level")
check.eq(fs.exists("rom/init.lua"), false)
check.truthy(fs.exists("rom/moonbox/init.lua"), "moonbox's own files, apart")
-- motd reads /rom/motd.txt
local lines = {}
local old = _G.print
_G.print = function(s) lines[#lines + 1] = s end
shell.run("motd")
_G.print = old
check.eq(#lines, 1, "one message of the day")
local f = fs.open("rom/motd.txt", "r") local text = f.readAll() f.close()
check.truthy(text:find(lines[1], 1, true), "from rom/motd.txt")
-- the fg program outside multishell: CC's words
local errs = {}
local oldErr = _G.printError
_G.printError = function(s) errs[#errs + 1] = s end
shell.run("rom/programs/advanced/fg.lua", "lua")
_G.printError = oldErr
check.same(errs, {"Requires multishell"})
print("rom layout ok")
