-- mv from to
local from, to = ...
if not from or not to then printError("usage: mv <from> <to>") require("system.process").exit(2) end
if fs.isDir(to) then to = fs.combine(to, fs.getName(from)) end
local ok, err = pcall(fs.move, from, to)
if not ok then printError(err) require("system.process").exit(1) end
