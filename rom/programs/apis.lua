-- apis: the APIs (global tables) loaded in this process.
local apis = {}
for name, value in pairs(_G) do
  if type(value) == "table" and name ~= "_G" then apis[#apis + 1] = name end
end
table.sort(apis)
textutils.tabulate(apis)
