-- edit's menu as CC's (issue 23): Save, Run, Print (while a printer is
-- attached), Exit; a read-only file has no Save. Print puts the file on
-- pages of the printer.
-- expect-out: edit menu ok
-- expect-file: .moonbox/world/printouts/0/0001.txt second line
local check = require("lib.check")
local terminal = require("system.terminal")

local f = fs.open("/doc.txt", "w") f.write("first line\nsecond line\n") f.close()
assert(periphemu.create("right", "printer"))

local id = terminal.create(51, 19)
local function row(y) return (terminal.getLine(id, y)):gsub("%s+$", "") end
local function key(code)
  terminal.queueEvent(id, "key", code, false)
  terminal.queueEvent(id, "key_up", code)
end
local function wait_row(y, text)
  check.eventually(function() return row(y):find(text, 1, true) ~= nil end, 10, "'" .. text .. "' on row " .. y)
end

assert(terminal.start(id, "/rom/programs/edit.lua", "/doc.txt"))
wait_row(19, "Press Ctrl for menu")
key(keys.leftCtrl)
wait_row(19, "[Save] Run  Print  Exit")
key(keys.right) key(keys.right) key(keys.enter)  -- Print
wait_row(19, "Printed 1 Pages")
key(keys.leftCtrl)
for _ = 1, 4 do  -- to Exit (the menu keeps its choice, as CC's)
  if row(19):find("[Exit]", 1, true) then break end
  key(keys.right)
  sleep(0.05)
end
key(keys.enter)
local process = require("system.process")
local function edit_running()
  for _, pid in ipairs(process.getplist()) do
    local info = process.getpinfo(pid)
    if info and info.name == "/rom/programs/edit.lua" and info.state ~= "zombie" then return true end
  end
  return false
end
check.eventually(function() return not edit_running() end, 10, "edit ended")
check.eq(peripheral.call("right", "getInkLevel"), 63, "one page used")

-- a rom file: no Save; without a printer, no Print
periphemu.remove("right")
local id2 = terminal.create(51, 19)
id = id2
assert(terminal.start(id, "/rom/programs/edit.lua", "/rom/startup.lua"))
wait_row(19, "Read only. Press Ctrl for menu")
key(keys.leftCtrl)
wait_row(19, "[Run] Exit")
-- in multishell (shell.openTab there), Run opens the program in a tab of
-- its own, in front, as CC's
local opened, switched
shell.openTab = function(...) opened = { ... } return 7 end
shell.switchTab = function(n) switched = n end
local win = window.create(term.current(), 1, 1, 51, 19, false)
local old = term.redirect(win)
local co = coroutine.create(shell.run)
local function feed(...)
  local ok, err = coroutine.resume(co, ...)
  if not ok then term.redirect(old) error(err, 0) end
end
feed("edit", "/doc.txt")
feed("key", keys.leftCtrl, false)
feed("key", keys.right, false)  -- [Save] Run Exit: to Run
feed("key", keys.enter, false)
term.redirect(old)
shell.openTab, shell.switchTab = nil, nil
check.same(opened, { "/doc.txt" }, "Run in a tab")
check.eq(switched, 7, "the tab in front")
print("edit menu ok")
