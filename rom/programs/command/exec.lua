-- exec: runs a command on a command computer, as CC's.
local args = { ... }
if not commands then
  printError("Requires a Command Computer.")
  return
end
if #args == 0 then
  local name = arg[0] or fs.getName(shell.getRunningProgram())
  printError("Usage: " .. name .. " <command>")
  return
end

local function coloured(colour, text)
  if term.isColour() then term.setTextColour(colour) end
  print(text)
  term.setTextColour(colours.white)
end

local ok, output = commands.exec(table.concat(args, " "))
if ok then
  coloured(colours.green, "Success")
else
  if term.isColour() then term.setTextColour(colours.red) end
  printError("Failed")
  term.setTextColour(colours.white)
end
for _, line in ipairs(output or {}) do print(line) end
