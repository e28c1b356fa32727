-- turn: turns the turtle, as CC's: turn left|right [turns] ...
local args = { ... }
if #args < 1 then
  local name = arg[0] or fs.getName(shell.getRunningProgram())
  print("Usage: " .. name .. " <direction> <turns>")
  return
end
if not turtle then
  printError("Requires a Turtle")
  return
end

local turns = { lt = turtle.turnLeft, left = turtle.turnLeft, rt = turtle.turnRight, right = turtle.turnRight }
local i = 1
while i <= #args do
  local direction = args[i]
  local count = 1
  if i < #args and tonumber(args[i + 1]) then
    count = tonumber(args[i + 1])
    i = i + 1
  end
  i = i + 1
  local turn = turns[direction]
  if not turn then
    print("No such direction: " .. direction)
    print("Try: left, right")
    return
  end
  for _ = 1, count do turn() end
end
