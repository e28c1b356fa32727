-- The API tables a program sees, as CC's: term forwards to the redirect
-- target and keeps CC's error positions; os and fs are whole to pairs and to
-- a lookup although their Lua half (rom/moonbox/bios/os.lua, fs.lua) is added on
-- first use; a program's own os/fs functions win over the rom's.
-- expect-out: api tables ok
local check = require("lib.check")
local c_print = print

-- fs: a program's fs.find, set before the rom's half is added, stays.
local mine = function() return {"mine"} end
fs.find = mine
check.eq(type(fs.complete), "function", "fs.complete is there")
check.eq(fs.find, mine, "the program's fs.find won")
check.eq(fs.isDriveRoot("/"), true, "fs.isDriveRoot")
check.eq(getmetatable(fs), nil, "fs has no metatable once completed")

-- The metamethods that complete os are reachable; called on anything but a
-- table, they raise (they must not touch a string's metatable or crash).
local complete = getmetatable(os).__index
check.raises("bad argument #1 to '__index' (table expected, got string)", complete, "abc", "x")
check.eq(("abc"):upper(), "ABC", "strings keep their methods")
-- So is _G's, which builds globals on first use.
check.raises("bad argument #1 to '__index' (table expected, got number)", getmetatable(_G).__index, 5, "colors")

-- os: pairs sees the Lua half without any lookup first.
local names = {}
for k in pairs(os) do names[k] = true end
check.truthy(names.run and names.loadAPI and names.unloadAPI and names.sleep and names.clock, "pairs(os) lists C and Lua functions")
check.eq(os.sleep, sleep, "os.sleep is sleep")

-- term: the native table is its own, and current() is it until a redirect.
check.truthy(term.native() ~= term, "term.native() is not term")
check.eq(term.current(), term.native(), "current is native")
check.eq(term.native(), term.native(), "one native table")
for k, v in pairs(term.native()) do check.eq(type(term[k]), "function", "term." .. k) end

-- Errors of a native function point at the program's line, as CC's.
local ok, err = pcall(function() term.setTextColour(0) end)
check.eq(ok, false, "setTextColour(0) fails")
check.truthy(err:find("cc_api_tables.lua:%d+: Colour out of range$"), "position at the caller: " .. err)

-- A target missing a method gets one that names it, at the program's line.
local seen = {}
local target = {write = function(s) seen[#seen + 1] = s end}
local old = term.redirect(target)
check.eq(old, term.native(), "redirect returns the native table")
term.write("abc")
check.eq(seen[1], "abc", "write forwarded")
ok, err = pcall(function() term.clear() end)
check.truthy(err:find("cc_api_tables.lua:%d+: Redirect object is missing method clear%.$"), "missing method: " .. tostring(err))
check.eq(type(target.getSize), "function", "missing methods were added to the target")

-- While redirected, print is CC's Lua one (writing through the target);
-- back on the native terminal, the C print returns.
local lines = {}
local tgt = setmetatable({}, {__index = function(_, k)
  if k == "getSize" then return function() return 10, 5 end end
  if k == "getCursorPos" then return function() return 1, 1 end end
  if k == "write" then return function(s) lines[#lines + 1] = s end end
  return function() end
end})
term.redirect(tgt)
check.truthy(print ~= c_print, "a Lua print while redirected")
print("hello world")
check.eq(table.concat(lines), "hello world", "print went through the target: " .. table.concat(lines, "|"))
check.eq(term.redirect(term.native()), tgt, "redirect returns the previous target")
check.eq(print, c_print, "the C print is back")
check.raises("term is not a recommended redirect target", term.redirect, term)
check.raises("bad argument #1 (table expected, got nil)", term.redirect)
print("api tables ok")
