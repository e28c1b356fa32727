-- periphemu (CraftOS-PC's names) and CC's peripheral API over it: create,
-- remove, names; getNames in CC's order, getType, hasType, getMethods,
-- call, wrap, find, getName; the peripheral and peripheral_detach events;
-- CC's argument errors.
-- expect-out: done
-- expect-file: .moonbox/config.json "type": "printer"
local check = require("lib.check")

check.eq(type(periphemu.names()), "table")
local types = table.concat(periphemu.names(), ",")
check.eq(types, "computer,drive,modem,monitor,printer,speaker")

check.eq(#peripheral.getNames(), 0)
check.eq(peripheral.isPresent("left"), false)
check.eq(peripheral.getType("left"), nil)
check.eq(peripheral.hasType("left", "modem"), nil)
check.eq(peripheral.getMethods("left"), nil)
check.eq(peripheral.call("left", "open", 1), nil)
check.eq(peripheral.wrap("left"), nil)
check.eq(peripheral.find("modem"), nil)

-- create / remove and their events
check.eq(periphemu.create("left", "modem"), true)
local event, side = os.pullEvent("peripheral")
check.eq(event, "peripheral")
check.eq(side, "left")
check.eq(periphemu.create("left", "printer"), false)  -- taken
check.eq(periphemu.create("right", "toaster"), false)  -- no such type
check.eq(periphemu.create("top", "printer"), true)
check.eq(periphemu.create("monitor_7", "monitor"), true)
check.eq(periphemu.create("bottom", "modem", "wired"), true)
check.eq(periphemu.create("front", "modem", "fibre"), false)

-- names: the sides in CC's order (bottom, top, back, front, right, left), then the rest
check.eq(table.concat(peripheral.getNames(), ","), "bottom,top,left,monitor_7")
check.eq(peripheral.getType("left"), "modem")
check.eq(peripheral.hasType("left", "modem"), true)
check.eq(peripheral.hasType("left", "printer"), false)
local methods = peripheral.getMethods("left")
table.sort(methods)
check.eq(table.concat(methods, ","), "close,closeAll,isOpen,isWireless,open,transmit")
check.eq(peripheral.call("left", "isWireless"), true)
check.eq(peripheral.call("bottom", "isWireless"), false)
check.eq(#peripheral.call("bottom", "getNamesRemote"), 0)

-- wrap and its metatable
local modem = peripheral.wrap("left")
check.eq(getmetatable(modem).__name, "peripheral")
check.eq(peripheral.getName(modem), "left")
check.eq(peripheral.getType(modem), "modem")
check.eq(peripheral.hasType(modem, "modem"), true)
check.raises("bad argument #1 (table is not a peripheral)", peripheral.getName, {})

-- find, with and without a filter
local a, b = peripheral.find("modem")
check.eq(peripheral.getName(a), "bottom")
check.eq(peripheral.getName(b), "left")
local wireless = {peripheral.find("modem", function(_, m) return m.isWireless() end)}
check.eq(#wireless, 1)
check.eq(peripheral.getName(wireless[1]), "left")

-- CC's errors
check.raises("bad argument #1 (string expected, got nil)", peripheral.call)
check.raises("bad argument #2 (string expected, got nil)", peripheral.call, "left")
check.raises("No such method frobnicate", peripheral.call, "left", "frobnicate")
check.raises("bad argument #1 (number expected, got string)", modem.open, "x")
check.raises("bad argument #1 (string expected, got nil)", periphemu.create)
check.raises("bad argument #2 (string expected, got nil)", periphemu.create, "left")
check.raises("bad argument #1 (string expected, got number)", periphemu.create, 3, "modem")
check.raises("bad argument #1 (string expected, got table)", peripheral.isPresent, {})
check.raises("bad argument #2 (function expected, got number)", peripheral.find, "modem", 1)

-- remove fires peripheral_detach; a wrapped table of a gone device says so
check.eq(periphemu.remove("left"), true)
event, side = os.pullEvent("peripheral_detach")
check.eq(side, "left")
check.eq(periphemu.remove("left"), false)
check.eq(peripheral.isPresent("left"), false)
check.raises("No peripheral attached", modem.isWireless)
check.eq(table.concat(peripheral.getNames(), ","), "bottom,top,monitor_7")

-- a computer alone in headless mode is still in a world: attach computer 3
check.eq(periphemu.create(3, "computer"), true)
check.eq(peripheral.getType("computer_3"), "computer")
check.eq(periphemu.create(os.getComputerID(), "computer"), false)
check.eq(periphemu.remove(3), true)

-- the attach and detach programs
shell.run("attach", "right", "speaker")
check.eq(peripheral.getType("right"), "speaker")
shell.run("detach", "right")
check.eq(peripheral.isPresent("right"), false)
-- a method's error points at the program's line, through peripheral.call
-- and through a wrapped method alike
periphemu.create("back", "modem")
local _, err = pcall(function() peripheral.call("back", "isOpen", false) end)
check.truthy(err:find("^[^:]+cc_peripheral.lua:%d+: bad argument #1 %(number expected, got boolean%)$"), err)
_, err = pcall(function() peripheral.wrap("back").open(false) end)
check.truthy(err:find("^[^:]+cc_peripheral.lua:%d+: bad argument #1"), err)
_, err = pcall(function() peripheral.call("back", "noSuchMethod") end)
check.truthy(err:find("^[^:]+cc_peripheral.lua:%d+: No such method noSuchMethod$"), err)
print("done")
