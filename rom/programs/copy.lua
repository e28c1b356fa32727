-- copy <source> <destination>: copies files (wildcards allowed). Alias: cp.
require("cc.internal.transfer")({...}, "copy <source> <destination>", fs.copy, function(file, target)
  if file == target then return "Destination can't be the source" end
end)
