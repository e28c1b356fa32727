-- equip: puts the held upgrade on the pocket computer's back, as CC's.
if not pocket then
  printError("Requires a Pocket Computer")
  return
end

local ok, err = pocket.equipBack()
if ok then print("Item equipped") else printError(err) end
