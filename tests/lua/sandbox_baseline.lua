-- Each process has only the libraries the design lists.
-- expect-out: sandbox ok
local check = require("lib.check")

-- io is CC's, over the virtual file system: no popen, no host files.
check.eq(io.popen, nil, "no io.popen")
check.eq(io.tmpfile, nil, "no io.tmpfile")
check.eq(io.open("/etc/passwd"), nil, "io.open cannot reach host files")
check.eq(os.execute, nil, "no os.execute")
check.eq(os.getenv, nil, "no os.getenv")
check.eq(os.remove, nil, "no os.remove")
check.eq(os.exit, nil, "no os.exit")
check.eq(string.dump, nil, "no string.dump")
check.eq(package.loadlib, nil, "no package.loadlib")
check.eq(package.cpath, nil, "no package.cpath")
check.eq(package.searchers, nil, "no host searchers")
check.eq(type(debug.traceback), "function", "debug.traceback is there")
-- the debug library within the process: no registry, no hooks (README,
-- Isolation; escape_suite checks that it reaches no C closure or C frame)
local names = {}
for k in pairs(debug) do names[#names + 1] = k end
table.sort(names)
-- (and CraftOS-PC's debugger calls: debug, setbreakpoint, unsetbreakpoint)
check.eq(table.concat(names, " "), "debug gethook getinfo getlocal getmetatable getupvalue setbreakpoint sethook setlocal setmetatable setupvalue traceback unsetbreakpoint upvalueid upvaluejoin", "debug's functions")
check.eq(require("debug"), debug, "require('debug') is the same table")
check.eq(debug.getregistry, nil, "no registry access")

-- The libraries that are there.
for _, lib in ipairs({"string", "table", "math", "utf8", "coroutine"}) do
  check.eq(type(_G[lib]), "table", lib)
end

-- load takes text only.
local bytecode = "\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0"
local f, err = load(bytecode)
check.eq(f, nil, "binary chunk refused")
check.truthy(err:find("attempt to load a binary chunk", 1, true), "binary message: " .. tostring(err))
f, err = load(bytecode, "x", "b")
check.eq(f, nil, "mode b is forced to text")
check.eq(load("return 1 + 1")(), 2, "text chunks load")
local env = {y = 5}
check.eq(load("return y", "chunk", "t", env)(), 5, "env argument")

-- require of C modules or host files fails.
check.raises("module 'socket' not found", require, "socket")
check.eq(require("os"), os, "require('os') is the sandboxed os")
check.raises("File not found", dofile, "/etc/passwd")
check.eq(loadfile("../../../../etc/passwd"), nil, "no path escape")

-- No finalizers: Lua runs __gc with hooks off, so one that loops could never
-- be stopped. setmetatable refuses them; other metamethods work.
check.raises("bad argument #2 to 'setmetatable' (__gc metamethods are not allowed)",
  setmetatable, {}, {__gc = function() while true do end end})
local mt = {__index = function(_, k) return k .. "!" end}
check.eq(setmetatable({}, mt).hi, "hi!", "other metamethods")
mt.__gc = function() end  -- added later: Lua never marks the table for finalization
collectgarbage()

-- The wrapped library functions (setmetatable above, string.gsub and
-- table.sort, which may yield) check their arguments themselves, so their
-- errors name them and point at the caller as Lua's own do.
local function where(fn)
  local ok, err = pcall(fn)
  check.eq(ok, false, "an error")
  return err
end
check.truthy(where(function() setmetatable(5, {}) end):find("^[^:]+sandbox_baseline.lua:%d+: bad argument #1 to 'setmetatable' %(table expected, got number%)$"),
  "setmetatable's argument error")
check.truthy(where(function() string.gsub() end):find("sandbox_baseline.lua:%d+: bad argument #1 to 'gsub' %(string expected, got no value%)$"),
  "gsub's argument error")
check.truthy(where(function() ("x"):gsub("x", true) end):find("bad argument #2 to 'gsub' %(string/function/table expected, got boolean%)$"),
  "gsub's argument error, as a method")
check.truthy(where(function() table.sort(5) end):find("sandbox_baseline.lua:%d+: bad argument #1 to 'sort' %(table expected, got number%)$"),
  "sort's argument error")
check.truthy(where(function() table.sort("abc") end):find("bad argument #1 to 'sort' %(table expected, got string%)$"),
  "a string (whose metatable has only __index) is no table to sort")
local backing = {3, 1, 2}
local proxy = setmetatable({}, {__index = backing, __newindex = backing, __len = function() return #backing end})
table.sort(proxy)
check.eq(table.concat(backing, ","), "1,2,3", "a proxy with __index, __newindex and __len sorts, as in Lua")
table.sort(proxy, function(a, b) return a > b end)
check.eq(table.concat(backing, ","), "3,2,1", "and with a comparator")

-- Globals of other processes are not reachable: a child sets a global and we
-- don't see it.
local process = require("system.process")
local child = process.startString("shared_global = 42; string.upper = nil", "setter")
process.wait(child, 5)
check.eq(shared_global, nil, "other process's globals")
check.eq(type(string.upper), "function", "other process's string table")
check.eq(("x"):upper(), "X", "string metatable intact")
print("sandbox ok")
