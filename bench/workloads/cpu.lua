-- CPU-bound Lua: a tight arithmetic loop, no calls, no allocation. The
-- same chunk runs in a bare lua_State (no hook) as the reference.
local n = ...
local x = 0
for i = 1, n do x = x + i % 7 end
return x
