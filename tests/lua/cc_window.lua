-- window and term through term.current(), following CC:Tweaked.
-- expect-out: window ok
local check = require("lib.check")

local function mk() return window.create(term.current(), 1, 1, 5, 5, false) end
check.raises("bad argument #1 (table expected, got nil)", window.create, nil)
check.raises("bad argument #6 (boolean expected, got string)", window.create, mk(), 1, 1, 1, 1, "")
local w = mk()
w.blit("test", "aaaa", "4444")
local text, fg, bg = w.getLine(1)
check.eq(text, "test ", "getLine text")
check.eq(fg, "aaaa0", "getLine fg")
check.eq(bg, "4444f", "getLine bg")
check.raises("Line is out of range.", w.getLine, 0)
check.raises("Arguments must be the same length", w.blit, "", "", "a")
check.raises("Colour out of range", w.setTextColour, -5)
w.setTextColour(colours.combine(colours.red, colours.green))
check.eq(w.getTextColour(), colours.red, "highest bit of combined colours")
check.raises("bad argument #3 (number expected, got nil)", w.reposition, 1, 1, nil, 1)
check.raises("bad argument #5 (table expected, got boolean)", w.reposition, 1, 1, 1, 1, true)
w.setVisible(false)
check.eq(w.isVisible(), false, "isVisible")

-- reposition onto another parent
local a, b = mk(), mk()
local target = window.create(a, 1, 1, a.getSize())
target.write("Test")
check.eq((a.getLine(1)), "Test ", "drawn into a")
target.reposition(1, 1, nil, nil, b)
target.setCursorPos(1, 1)
target.write("More")
check.eq((a.getLine(1)), "Test ", "a unchanged")
check.eq((b.getLine(1)), "More ", "b drawn")

-- scroll and resize keep the buffer
local s = window.create(mk(), 1, 1, 3, 2, false)
s.write("abc") s.setCursorPos(1, 2) s.write("def")
s.scroll(1)
check.eq((s.getLine(1)), "def", "scrolled up")
s.reposition(1, 1, 5, 2)
check.eq((s.getLine(1)), "def  ", "widened")

-- print, write and slowWrite go through the redirect target, with CC's wrapping
local out = window.create(term.current(), 1, 1, 20, 3, false)
local old = term.redirect(out)
textutils.slowWrite("This is a long string which one would hope wraps.", 10000)
term.redirect(old)
check.eq((out.getLine(1)), "This is a long      ", "wrap 1")
check.eq((out.getLine(2)), "string which one    ", "wrap 2")
check.eq((out.getLine(3)), "would hope wraps.   ", "wrap 3")
local lines = window.create(term.current(), 1, 1, 10, 2, false)
old = term.redirect(lines)
print("one") print("two") print("three")
term.redirect(old)
check.eq((lines.getLine(1)), "three     ", "print scrolls")
check.raises("bad argument #1 (table expected, got nil)", term.redirect)
check.raises("term is not a recommended redirect target", term.redirect, term)

-- the native term's checks use CC's words
check.raises("bad argument #1 (number expected, got nil)", term.setCursorPos)
check.raises("Colour out of range", term.setTextColour, 0)
print("window ok")
