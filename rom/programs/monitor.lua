-- monitor <name> <program> [args...]: runs a program with its output on a
-- monitor peripheral, as CC's monitor program.
local args = {...}
if #args < 2 then
  print("Usage:")
  print("  monitor <name> <program> <arguments>")
  return
end
local name = args[1]
if peripheral.getType(name) ~= "monitor" then
  print("No monitor named " .. name)
  return
end
local program = shell.resolveProgram(args[2])
if not program then
  print("No such program")
  return
end
local monitor = peripheral.wrap(name)
local previous = term.redirect(monitor)
local ok, err = pcall(shell.run, table.unpack(args, 2))
term.redirect(previous)
if not ok then printError(err) end
