-- The monitor peripheral: term's methods on a screen of its own, the text
-- scale (sizes and monitor_resize), term.redirect onto it, and the monitor
-- program running a child process on it.
-- expect-out: on the computer
-- expect-out: done
local check = require("lib.check")
local terminal = require("system.terminal")
local native = require("system.peripheral")

assert(periphemu.create("top", "monitor"))
local mon = peripheral.wrap("top")
check.eq(peripheral.getType("top"), "monitor")
local w, h = mon.getSize()
check.eq(w, 51)
check.eq(h, 19)
check.eq(mon.getTextScale(), 1)
check.eq(mon.isColour(), true)

-- text scale: halves from 0.5 to 5, rounded down; sizes follow
mon.setTextScale(0.5)
check.eq(select(2, os.pullEvent("monitor_resize")), "top")
w, h = mon.getSize()
check.eq(w, 102)
check.eq(h, 38)
mon.setTextScale(2.7)
check.eq(mon.getTextScale(), 2.5)
check.raises("Expected number in range 0.5-5", mon.setTextScale, 0.4)
check.raises("Expected number in range 0.5-5", mon.setTextScale, 5.5)
check.raises("bad argument #1 (number expected, got string)", mon.setTextScale, "big")
mon.setTextScale(1)

-- drawing on it leaves the computer's own terminal alone
local id = native.getTerminal("top")
mon.clear()
mon.setCursorPos(3, 2)
mon.setTextColour(colours.red)
mon.write("Hello")
check.eq(select(1, mon.getCursorPos()), 8)
check.eq(terminal.getLine(id, 2):sub(3, 7), "Hello")
mon.blit("ab", "01", "ff")
check.raises("Colour out of range", mon.setTextColour, 0)
check.raises("Arguments must be the same length", mon.blit, "a", "00", "f")
term.setCursorPos(1, 1)
print("on the computer")

-- term.redirect onto the wrapped monitor
local previous = term.redirect(mon)
term.setCursorPos(1, 5)
term.write("redirected")
term.redirect(previous)
check.eq(terminal.getLine(id, 5):sub(1, 10), "redirected")

-- monitor_touch: what a click on its window queues
-- (the GUI test clicks for real; here the program `monitor` is checked)
local file = fs.open("/hello_mon.lua", "w")
file.write('term.clear() term.setCursorPos(1, 1) print("child on " .. select(1, term.getSize()))')
file.close()
shell.run("monitor", "top", "/hello_mon.lua")
check.eq(terminal.getLine(id, 1):sub(1, 11), "child on 51")

-- the monitor program's errors
shell.run("monitor", "left", "/hello_mon.lua")  -- no monitor there: prints a message

-- detaching hangs up what runs on it
check.eq(periphemu.remove("top"), true)
check.eq(native.getTerminal("top"), nil)
print("done")
