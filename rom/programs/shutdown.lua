-- shutdown: turns the computer off (closes the window), as CC's: a goodbye,
-- a second to read it, then off.
if term.isColour() then term.setTextColour(colours.yellow) end
print("Goodbye")
term.setTextColour(colours.white)
sleep(1)
os.shutdown()
