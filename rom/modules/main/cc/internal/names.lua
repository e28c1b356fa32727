--- cc.internal.names: the files of a search path as shell.programs and
-- help.topics list them: sorted, each name once, directories left out.
local M = {}

-- path: directories separated by ":"; resolve(dir) gives the directory to
-- list; name(file) gives the name to list the file under, or nil to leave
-- it out.
function M.in_path(path, resolve, name)
  local seen = {}
  for dir in path:gmatch("[^:]+") do
    dir = resolve(dir)
    if fs.isDir(dir) then
      for _, file in ipairs(fs.list(dir)) do
        local listed = not fs.isDir(fs.combine(dir, file)) and name(file)
        if listed then seen[listed] = true end
      end
    end
  end
  local list = {}
  for listed in pairs(seen) do list[#list + 1] = listed end
  table.sort(list)
  return list
end

return M
