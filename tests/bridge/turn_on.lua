-- bridge.clash: tries to turn on a computer whose id another instance holds.
local id = tonumber(...)
local ok, why = periphemu.create(id, "computer")
if ok then print("turned on", id) else print("refused: " .. tostring(why)) end
