-- Prints, then spends the whole run inside one C call (a pattern match that
-- only the 10 s "too long without yielding" limit ends). The window must go
-- on drawing (the GUI thread never runs Lua) and show what was printed.
term.setTextColour(colours.lime)
print("before the C call")
string.find(string.rep("a", 3000), ".-.-.-.-b")
print("never seen in this test")
