-- reboot: restarts the computer, as CC's: a goodbye, a second to read it,
-- then the restart.
if term.isColour() then term.setTextColour(colours.yellow) end
print("Goodbye")
term.setTextColour(colours.white)
sleep(1)
os.reboot()
