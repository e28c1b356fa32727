-- The debug library within the process (issue 23): getinfo, locals,
-- upvalues, metatables; never a C closure's upvalues, a C frame's slots or
-- the registry; the program's own hooks. And cc.pretty's function_args / function_source.
-- expect-out: debug ok
local check = require("lib.check")

local function sample(alpha, beta, ...)
  local here = debug.getinfo(1, "Slnuf")
  local name, value = debug.getlocal(1, 1)
  return here, name, value
end
local info, name, value = sample(7, 8)
check.eq(info.what, "Lua")
check.eq(info.nparams, 2)
check.eq(info.isvararg, true)
check.eq(info.func, sample, "func of a Lua function")
check.eq(info.currentline, 8)
check.eq(info.linedefined, 7)
check.truthy(info.short_src:find("debug_library", 1, true), info.short_src)
check.same({name, value}, {"alpha", 7})
check.eq(debug.getlocal(sample, 2), "beta", "a parameter's name")
check.eq(debug.getinfo(print).what, "C")
check.eq(debug.getinfo(print, "f").func, nil, "a C function is not handed out")
check.eq(debug.getinfo(1000), nil, "no such level")
check.raises("invalid option", debug.getinfo, 1, "r")

-- setlocal
local function change()
  local x = 1
  debug.setlocal(1, 1, 42)
  return x
end
check.eq(change(), 42)

-- upvalues of a Lua closure
local counter = 0
local function bump() counter = counter + 1 return counter end
check.same({debug.getupvalue(bump, 1)}, {"counter", 0})
check.eq(debug.setupvalue(bump, 1, 10), "counter")
check.eq(bump(), 11)
local other = 100
local function read_other() return other end
debug.upvaluejoin(bump, 1, read_other, 1)
check.eq(bump(), 101, "joined to other's upvalue")
check.eq(debug.upvalueid(bump, 1), debug.upvalueid(read_other, 1))
check.raises("invalid upvalue index", debug.upvalueid, bump, 5)
check.eq(debug.getupvalue(string.format, 1), nil, "none of a C function's")

-- metatables
check.eq(debug.getmetatable("").__index, string)
local t = debug.setmetatable({}, {__index = {k = "v"}})
check.eq(t.k, "v")

-- hooks: line, call and count events; in a hook, level 2 is the hooked
-- function; a hook per coroutine; errors in a hook raise where it ran
local lines = {}
local function hooked(a)
  local b = a + 1
  return b * 2
end
debug.sethook(function(event, line)
  local at = debug.getinfo(2, "S")
  if at.linedefined == 57 then lines[#lines + 1] = event .. ":" .. line end
end, "l")
hooked(1)
debug.sethook()
check.eq(table.concat(lines, " "), "line:58 line:59", "line events of the hooked function")
check.eq(debug.gethook(), nil, "turned off")
local seen
local function adder(x, y)
  local sum = x + y
  return sum
end
debug.sethook(function()
  local info = debug.getinfo(2, "n")
  if info and info.name == "adder" and not seen then seen = {debug.getlocal(2, 1)} end
end, "l")
adder(4, 5)
debug.sethook()
check.same(seen, {"x", 4}, "getlocal(2, ...) in a hook: the hooked function's")
local calls = 0
local function on_call() calls = calls + 1 end
debug.sethook(on_call, "cr", 0)
hooked(2)
local fn, mask, count = debug.gethook()
debug.sethook()
check.same({fn, mask, count}, {on_call, "cr", 0}, "gethook")
check.truthy(calls >= 4, "call and return events: " .. calls)
local counts = 0
debug.sethook(function(event) if event == "count" then counts = counts + 1 end end, "", 100)
for _ = 1, 100000 do end
debug.sethook()
check.truthy(counts >= 500, "count events: " .. counts)
local co = coroutine.create(function() local y = 1 return y end)
local co_lines = 0
debug.sethook(co, function() co_lines = co_lines + 1 end, "l")
check.eq(debug.gethook(), nil, "the hook is the coroutine's")
check.eq(select(2, debug.gethook(co)), "l")
coroutine.resume(co)
check.truthy(co_lines >= 1, "the coroutine's hook ran")
local ok, err = pcall(function()
  debug.sethook(function() debug.sethook() error("from the hook") end, "l")
  local _ = 1
end)
check.eq(ok, false)
check.truthy(err:find("from the hook", 1, true), err)
check.raises("bad argument #2 to 'debug.sethook' (string expected, got no value)", debug.sethook, print)

-- cc.pretty shows functions' arguments and source on request
local pretty = require("cc.pretty")
local function f(a, b, ...) end
local shown = pretty.render(pretty.pretty(f, {function_args = true}))
check.truthy(shown:find("%(a, b, %.%.%.%)$"), shown)
shown = pretty.render(pretty.pretty(f, {function_source = true}))
check.truthy(shown:find("^function<.*debug_library.*:%d+>$"), shown)
check.eq(pretty.render(pretty.pretty(print, {function_args = true})), tostring(print), "a C function as it is")
print("debug ok")
