-- label get | set <text> | clear: the computer's label.
local args = {...}
local function usage()
  print("Usages:")
  print("label get")
  print("label set <text>")
  print("label clear")
end
if args[1] == "get" then
  local label = os.getComputerLabel()
  if label then print("Computer label is \"" .. label .. "\"") else print("No label") end
elseif args[1] == "set" and args[2] then
  local label = table.concat(args, " ", 2)
  os.setComputerLabel(label)
  print("Computer label set to \"" .. os.getComputerLabel() .. "\"")
elseif args[1] == "clear" then
  os.setComputerLabel(nil)
  print("Computer label cleared")
else
  usage()
end
