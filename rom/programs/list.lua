-- list [path]: the files and directories of a directory (default: the
-- shell's), directories in green, as CC's list. Alias: ls, dir.
local args = {...}
local dir = shell.resolve(args[1] or ".")
if not fs.isDir(dir) then
  printError("Not a directory")
  return
end
local show_hidden = settings.get("list.show_hidden")
local files, dirs = {}, {}
for _, name in ipairs(fs.list(dir)) do
  if show_hidden or name:sub(1, 1) ~= "." then
    if fs.isDir(fs.combine(dir, name)) then dirs[#dirs + 1] = name else files[#files + 1] = name end
  end
end
table.sort(dirs)
table.sort(files)
if term.isColour() then
  textutils.pagedTabulate(colors.green, dirs, colors.white, files)
else
  textutils.pagedTabulate(colors.lightGray, dirs, colors.white, files)
end
