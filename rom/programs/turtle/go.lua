-- go: moves the turtle, as CC's: go <direction> <distance> ...
local args = { ... }
if #args < 1 then
  local name = arg[0] or fs.getName(shell.getRunningProgram())
  print("Usage: " .. name .. " <direction> <distance>")
  return
end
if not turtle then
  printError("Requires a Turtle")
  return
end

local moves = {
  fd = turtle.forward, forward = turtle.forward, forwards = turtle.forward,
  bk = turtle.back, back = turtle.back,
  up = turtle.up, dn = turtle.down, down = turtle.down,
  lt = turtle.turnLeft, left = turtle.turnLeft,
  rt = turtle.turnRight, right = turtle.turnRight,
}
local i = 1
while i <= #args do
  local direction = args[i]
  local distance = 1
  if i < #args and tonumber(args[i + 1]) then
    distance = tonumber(args[i + 1])
    i = i + 1
  end
  i = i + 1
  local move = moves[direction]
  if not move then
    print("No such direction: " .. direction)
    print("Try: forward, back, up, down")
    return
  end
  while distance > 0 do
    if move() then
      distance = distance - 1
    elseif turtle.getFuelLevel() == 0 then
      print("Out of fuel")
      return
    else
      sleep(0.5)
    end
  end
end
