-- The rom's startup, as CC's: the top-level shell runs it when the computer
-- starts, before the user's own startup files. It runs the files of
-- /rom/autorun in order. (moonbox's shell sets its path and aliases itself.)
local autorun = "/rom/autorun"
if fs.isDir(autorun) then
  local files = fs.list(autorun)
  table.sort(files)
  for _, name in ipairs(files) do
    if name:sub(1, 1) ~= "." and not fs.isDir(fs.combine(autorun, name)) then
      shell.run(fs.combine(autorun, name))
    end
  end
end
