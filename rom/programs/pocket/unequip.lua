-- unequip: takes the pocket computer's upgrade off its back, as CC's.
if not pocket then
  printError("Requires a Pocket Computer")
  return
end

local ok, err = pocket.unequipBack()
if ok then print("Item unequipped") else printError(err) end
