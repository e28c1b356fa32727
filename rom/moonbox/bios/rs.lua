-- rs: CC's short name for redstone.
return redstone
