-- peripherals: the peripherals attached to this computer.
local names = peripheral.getNames()
print("Attached Peripherals:")
if #names == 0 then
  print("None")
else
  for _, name in ipairs(names) do print(name .. " (" .. table.concat({peripheral.getType(name)}, ", ") .. ")") end
end
