-- ls [path]: lists a directory; directories in green, as CC does.
local dir = ... or "."
if not fs.isDir(dir) then
  if fs.exists(dir) then print(dir) return end
  printError(dir .. ": No such directory")
  require("system.process").exit(1)
end
local files, dirs = {}, {}
for _, name in ipairs(fs.list(dir)) do
  if name:sub(1, 1) ~= "." then
    if fs.isDir(fs.combine(dir, name)) then dirs[#dirs + 1] = name else files[#files + 1] = name end
  end
end
local width = term.getSize()
local function column(names, colour)
  term.setTextColour(colour)
  for _, name in ipairs(names) do
    local x = term.getCursorPos()
    if x > 1 and x + #name > width then print() end
    write(name .. "  ")
  end
end
column(dirs, colors.green)
column(files, colors.white)
term.setTextColour(colors.white)
if #dirs + #files > 0 then print() end
