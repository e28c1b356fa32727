-- move <source> <destination>: moves files (wildcards allowed). Alias: mv.
require("cc.internal.transfer")({...}, "<source> <destination>", fs.move, function(file)
  if fs.isDriveRoot(file) then return "Cannot move mount /" .. file end
  if fs.isReadOnly(file) then return "Cannot move read-only file /" .. file end
end)
