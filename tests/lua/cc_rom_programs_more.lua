-- CC's turtle, pocket and command programs (which say what they need on a
-- plain computer, and work against those APIs when a program provides
-- them), hello, and import with its file_transfer event: CC's words, each
-- run in the caller's process with shell.run, output captured through
-- stubbed print/printError/write as CC's own test helpers do.
-- expect-out: more programs ok
local check = require("lib.check")

local capture, expect_run = require("lib.capture").capture, require("lib.capture").expect_run

-- turtle programs
_G.turtle = nil
for _, program in ipairs({ "craft", "equip", "unequip", "refuel", "go fd", "turn left", "dance", "tunnel 1", "excavate 1" }) do
  expect_run("/rom/programs/turtle/" .. program, "", "Requires a Turtle\n")
end
_G.turtle = {}
expect_run("/rom/programs/turtle/craft.lua", "Requires a Crafty Turtle\n")
local count = 3
_G.turtle = {
  craft = function() count = 1 return true end,
  getItemCount = function() return count end,
  getSelectedSlot = function() return 1 end,
}
expect_run("/rom/programs/turtle/craft.lua", "Usage: /rom/programs/turtle/craft.lua all|<number>\n")
expect_run("/rom/programs/turtle/craft.lua 2", "2 items crafted\n")
count = 17
_G.turtle.craft = function() return true end
expect_run("/rom/programs/turtle/craft.lua all", "17 items crafted\n")
count = 2
_G.turtle.craft = function() return false end
expect_run("/rom/programs/turtle/craft.lua 1", "No items crafted\n")

_G.turtle = { select = function() end, getItemCount = function() return count end }
count = 0
expect_run("/rom/programs/turtle/equip.lua 1 left", "Nothing to equip\n")
expect_run("/rom/programs/turtle/equip.lua", "Usage: /rom/programs/turtle/equip.lua <slot> <side>\n")
count = 1
_G.turtle.equipLeft = function() count = 0 return true end
expect_run("/rom/programs/turtle/equip.lua 1 left", "Item equipped\n")
count = 1
_G.turtle.equipRight = function() return false end
expect_run("/rom/programs/turtle/equip.lua 1 right", "Item not equippable\n")
_G.turtle.equipRight = function() return true end
expect_run("/rom/programs/turtle/equip.lua 1 right", "Items swapped\n")
count = 0
_G.turtle.equipLeft = function() count = 1 return true end
expect_run("/rom/programs/turtle/unequip.lua left", "Item unequipped\n")
expect_run("/rom/programs/turtle/unequip.lua left", "No space to unequip item\n")
count = 0
_G.turtle.equipLeft = function() return true end
expect_run("/rom/programs/turtle/unequip.lua left", "Nothing to unequip\n")

local fuel, limit, items = 0, 5, 5
_G.turtle = {
  getFuelLevel = function() return fuel end,
  getFuelLimit = function() return limit end,
  getItemCount = function() return items end,
  select = function() end,
  refuel = function(n) items, fuel = items - n, fuel + n end,
}
expect_run("/rom/programs/turtle/refuel.lua a b", "Usage: /rom/programs/turtle/refuel.lua [number]\n")
expect_run("/rom/programs/turtle/refuel.lua nothing", "Invalid limit, expected a number or \"all\"\n")
expect_run("/rom/programs/turtle/refuel.lua 5", "Fuel level is 5\nFuel limit reached\n")
fuel = "unlimited"
expect_run("/rom/programs/turtle/refuel.lua 5", "Fuel level is unlimited\n")

-- moving: go and turn call the turtle's functions in order
local moves = {}
_G.turtle = {}
for _, name in ipairs({ "forward", "back", "up", "down", "turnLeft", "turnRight" }) do
  _G.turtle[name] = function() moves[#moves + 1] = name return true end
end
expect_run("/rom/programs/turtle/go.lua forward 2 up left", "")
expect_run("/rom/programs/turtle/turn.lua right 2", "")
check.eq(table.concat(moves, " "), "forward forward up turnLeft turnRight turnRight")
_G.turtle = nil

-- pocket
_G.pocket = nil
expect_run("/rom/programs/pocket/equip.lua", "", "Requires a Pocket Computer\n")
expect_run("/rom/programs/pocket/unequip.lua", "", "Requires a Pocket Computer\n")
_G.pocket = { equipBack = function() return true end, unequipBack = function() return false, "Nothing to remove." end }
expect_run("/rom/programs/pocket/equip.lua", "Item equipped\n")
expect_run("/rom/programs/pocket/unequip.lua", "", "Nothing to remove.\n")
_G.pocket = nil

-- command computers
_G.commands = nil
expect_run("/rom/programs/command/commands.lua", "", "Requires a Command Computer.\n")
expect_run("/rom/programs/command/exec.lua", "", "Requires a Command Computer.\n")
_G.commands = { exec = function() return true, { "Hello World!" } end, list = function() return { "say", "computercraft" } end }
expect_run("/rom/programs/command/exec.lua", "", "Usage: /rom/programs/command/exec.lua <command>\n")
expect_run("/rom/programs/command/exec.lua computercraft", "Success\nHello World!\n")
_G.commands.exec = function() return false, { "Hello World!" } end
expect_run("/rom/programs/command/exec.lua computercraft", "Hello World!\n", "Failed\n")
local tabulated
local paged = textutils.pagedTabulate
textutils.pagedTabulate = function(list) tabulated = list end
expect_run("/rom/programs/command/commands.lua", "Available commands:\n")
textutils.pagedTabulate = paged
check.same(tabulated, { "computercraft", "say" })
_G.commands = nil

-- hello says it slowly
local slow = textutils.slowPrint
local slow_calls = 0
textutils.slowPrint = function(...) slow_calls = slow_calls + 1 return print(...) end
expect_run("hello", "Hello World!\n")
textutils.slowPrint = slow
check.eq(slow_calls, 1)

-- import: a TransferredFiles object passed in by a parent coroutine...
fs.delete("transfer.txt")
local read_once = false
local files = { getFiles = function()
  return { {
    getName = function() return "transfer.txt" end,
    read = function() if not read_once then read_once = true return "empty file" end end,
    close = function() end,
  } }
end }
local co = coroutine.create(shell.run)
check.truthy(coroutine.resume(co, "import"))
check.truthy(coroutine.resume(co, "file_transfer", files))
check.eq(coroutine.status(co), "dead")
local h = fs.open("transfer.txt", "r")
check.eq(h.readAll(), "empty file")
h.close()

-- ...and the event a drop on the window queues, plain data made into CC's
-- object when pulled: binary read handles with getName
os.queueEvent("file_transfer", { files = { { name = "a.bin", contents = "a\0b\255" }, { name = "b.txt", contents = "one\ntwo\n" } } })
local _, transfer = os.pullEvent("file_transfer")
local got = transfer.getFiles()
check.eq(#got, 2)
check.eq(got[1].getName(), "a.bin")
check.eq(got[1].read(), 97, "read() of a binary handle: a byte")
check.eq(got[1].read(10), "\0b\255")
check.eq(got[1].read(1), nil, "at the end")
check.eq(got[2].readLine(), "one")
check.eq(got[2].readLine(true), "two\n")
check.eq(got[2].seek("set", 0), 0)
check.eq(got[2].readAll(), "one\ntwo\n")
got[2].close()
check.raises("attempt to use a closed file", got[2].read)

fs.delete("a.bin")
fs.delete("b.txt")
os.queueEvent("file_transfer", { files = { { name = "a.bin", contents = "a\0b\255" }, { name = "b.txt", contents = "x" } } })
local result = capture("import")
check.eq(result.output, "Drop files to transfer them to this computer\nTransferring a.bin\nTransferring b.txt\n")
h = fs.open("a.bin", "rb")
check.eq(h.readAll(), "a\0b\255")
h.close()

-- files dropped while a nested shell reads a command: the prompt steps
-- aside for the import, then comes back with what was typed (CC's shell)
fs.delete("transfer.txt")
read_once = false
local current = term.current()
local win = window.create(current, 1, 1, 32, 5, false)
term.redirect(win)
co = coroutine.create(shell.run)
for _, event in ipairs({ { "shell" }, { "paste", "xyz" }, { "file_transfer", files } }) do
  check.truthy(coroutine.resume(co, table.unpack(event)))
end
term.redirect(current)
local shown = {}
for i = 1, 5 do shown[i] = win.getLine(i):gsub(" +$", "") end
check.same(shown, { os.version(), "> xyz", "Transferring transfer.txt", "> xyz", "" })
check.same({ win.getCursorPos() }, { 6, 4 })
check.eq(win.getCursorBlink(), true)
h = fs.open("transfer.txt", "r")
check.eq(h.readAll(), "empty file")
h.close()
print("more programs ok")
