-- move <source> <destination>: moves files (wildcards allowed). Alias: mv.
require("cc.internal.transfer")({...}, "move <source> <destination>", fs.move, function(file)
  if fs.isReadOnly(file) then return "Cannot move read-only file " .. file end
end)
