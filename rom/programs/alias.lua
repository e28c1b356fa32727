-- alias [alias] [program]: lists, sets or clears the shell's aliases.
local args = {...}
if #args > 2 then
  print("Usage: alias <alias> <program>")
  return
end
if #args == 0 then
  local list = {}
  for alias, program in pairs(shell.aliases()) do list[#list + 1] = alias .. ":" .. program end
  table.sort(list)
  textutils.pagedTabulate(list)
elseif #args == 1 then
  shell.clearAlias(args[1])
else
  shell.setAlias(args[1], args[2])
end
