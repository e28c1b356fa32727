-- dance: the turtle dances until a key is pressed, as CC's.
if not turtle then
  printError("Requires a Turtle")
  return
end

local steps = {
  turtle.turnLeft, turtle.turnRight,
  function() if turtle.up() then turtle.down() end end,
  function() if turtle.back() then turtle.forward() end end,
}
print("Preparing to get down.")
local dancing = true
parallel.waitForAny(function()
  os.pullEvent("key")
  dancing = false
end, function()
  while dancing do
    steps[math.random(#steps)]()
  end
end)
print("Dance over.")
