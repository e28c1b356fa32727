-- copy <source> <destination>: copies files (wildcards allowed). Alias: cp.
require("cc.internal.transfer")({...}, "<source> <destination>", fs.copy)
