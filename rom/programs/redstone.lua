-- redstone probe | set <side> [colour] <value> | pulse <side> <count> <period>:
-- reads and sets this computer's redstone, as CC's redstone program.
local args = {...}
local name = arg and arg[0] or "redstone"

local function usage()
  print("Usages:")
  print(name .. " probe")
  print(name .. " set <side> <value>")
  print(name .. " set <side> <color> <value>")
  print(name .. " pulse <side> <count> <period>")
end

local command = args[1]
if command == "probe" then
  print("Redstone inputs: ")
  local on, bundled = {}, {}
  for _, side in ipairs(redstone.getSides()) do
    if redstone.getInput(side) then on[#on + 1] = side end
    if redstone.getBundledInput(side) > 0 then bundled[#bundled + 1] = side end
  end
  if #on > 0 then
    write(table.concat(on, ", "))
    print(".")
  else
    print("None.")
  end
  if #bundled > 0 then
    print()
    print("Bundled inputs:")
    for _, side in ipairs(bundled) do
      local input = redstone.getBundledInput(side)
      write(side .. ": ")
      local first = true
      for colour_name, colour in pairs(colors) do
        if type(colour) == "number" and colors.test(input, colour) then
          if not first then write(", ") end
          first = false
          if term.isColour() then term.setTextColour(colour) end
          write(colour_name)
          if term.isColour() then term.setTextColour(colours.white) end
        end
      end
      print(".")
    end
  end
elseif command == "pulse" then
  local side, count, period = args[2], tonumber(args[3]) or 1, tonumber(args[4]) or 0.5
  for _ = 1, count do
    redstone.setOutput(side, true)
    sleep(period / 2)
    redstone.setOutput(side, false)
    sleep(period / 2)
  end
elseif command == "set" then
  local side = args[2]
  if #args > 3 then  -- a bundled cable's colour
    local colour = colors[args[3]] or colours[args[3]]
    if type(colour) ~= "number" then
      printError("No such color")
      return
    end
    if args[4] == "true" then
      redstone.setBundledOutput(side, colors.combine(redstone.getBundledOutput(side), colour))
    elseif args[4] == "false" then
      redstone.setBundledOutput(side, colors.subtract(redstone.getBundledOutput(side), colour))
    else
      print("Value must be boolean")
    end
  else
    local value, level = args[3], tonumber(args[3])
    if value == "true" then redstone.setOutput(side, true)
    elseif value == "false" then redstone.setOutput(side, false)
    elseif level and level >= 0 and level <= 15 then redstone.setAnalogOutput(side, level)
    else print("Value must be boolean or 0-15") end
  end
else
  usage()
end
