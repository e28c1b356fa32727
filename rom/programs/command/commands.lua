-- commands: lists a command computer's commands, as CC's.
if not commands then
  printError("Requires a Command Computer.")
  return
end

local list = commands.list()
table.sort(list)
if term.isColour() then term.setTextColour(colours.green) end
print("Available commands:")
term.setTextColour(colours.white)
textutils.pagedTabulate(list)
