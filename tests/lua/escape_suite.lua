-- Sandbox escape suite: each attack is a check that fails if the attack
-- works. (Symlinks planted in the data directory are covered by the vm unit
-- tests, which can plant them from the host.)
-- expect-out: 44 attacks stopped
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()
local stopped = 0
local function attack(name, fn)
  local ok, err = pcall(fn)
  if not ok then error("attack '" .. name .. "' was not stopped as expected: " .. tostring(err), 0) end
  stopped = stopped + 1
end
-- Runs source in a child and returns its process_complete info.
local function in_child(source, ...)
  local pid = assert(process.startString(source, "attacker", ...))
  local _, info
  repeat _, info = os.pullEvent("process_complete") until info.id == pid
  process.wait(pid)
  return info
end

local bytecode = "\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64\1"

attack("load a binary chunk", function() assert(load(bytecode) == nil) end)
attack("load with mode b", function() assert(load(bytecode, "x", "b") == nil) end)
attack("load binary through a reader function", function()
  local sent = false
  local f = load(function() if sent then return nil end sent = true return bytecode end)
  assert(f == nil)
end)
attack("string.dump", function() assert(string.dump == nil and ("").dump == nil) end)
-- The debug library reaches only the process's own Lua code: never a C
-- closure's upvalues (the originals moonbox's wrappers call), a C frame's
-- slots, a C function from getinfo, a userdata's metatable, the registry or
-- the hook (the kernel's preemption).
attack("debug.getinfo hands out no C function", function()
  local seen = 0
  table.sort({3, 2, 1}, function(a, b)
    for level = 1, 8 do
      local info = debug.getinfo(level, "Sf")
      if info and info.what == "C" then
        assert(info.func == nil)
        seen = seen + 1
      end
    end
    return a < b
  end)
  assert(seen > 0)
end)
attack("debug.gethook / sethook (see or remove the kernel's preemption hook)", function()
  assert(debug.gethook() == nil, "the kernel's hook is not the program's")
  debug.sethook()  -- removes only the program's hook (preemption.lua loops after this)
  local co = coroutine.create(function() end)
  assert(debug.gethook(co) == nil)
end)
attack("debug.getregistry", function() assert(debug.getregistry == nil) end)
attack("debug.setmetatable on a userdata", function()
  local id = debug.upvalueid(function() return id end, 1)
  assert(type(id) == "userdata")
  assert(not pcall(debug.setmetatable, id, {}))
end)
attack("debug.getupvalue / setupvalue of a C closure (the wrapped load)", function()
  assert(debug.getupvalue(load, 1) == nil)
  assert(debug.setupvalue(load, 1, print) == nil)
  assert(debug.upvalueid == nil or not pcall(debug.upvalueid, load, 1))
  assert(load("return 1")() == 1)
end)
attack("debug.getlocal of a C frame", function()
  local ok = pcall(load, function()
    for level = 1, 6 do
      local info = debug.getinfo(level, "S")
      if info and info.what == "C" then assert(debug.getlocal(level, 1) == nil) end
    end
    return nil
  end)
  assert(ok)
end)
attack("package.loadlib", function() assert(package.loadlib == nil) end)
attack("require a C module", function() assert(not pcall(require, "socket")) end)
attack("require through cpath", function() assert(package.cpath == nil and package.searchers == nil) end)
attack("io.popen", function() assert(io.popen == nil) end)
attack("io.open a host file", function() assert(io.open("/etc/passwd") == nil) end)
attack("os.execute", function() assert(os.execute == nil) end)
attack("os.getenv", function() assert(os.getenv == nil) end)
attack("os.remove / os.rename / os.tmpname", function() assert(os.remove == nil and os.rename == nil and os.tmpname == nil) end)
attack("os.exit (the host)", function() assert(os.exit == nil) end)
attack("collectgarbage('stop') to outgrow the quota", function()
  local info = in_child("collectgarbage('stop') local t = {} while true do t[#t + 1] = {} end")
  assert(info.status == 1 and info.error:find("not enough memory"), info.error)
end)
attack("collectgarbage('count') sees only its own heap", function()
  assert(collectgarbage("count") * 1024 < 16 * 1024 * 1024)
end)
attack("tamper with the string metatable", function()
  in_child("getmetatable('').__index = {upper = function() return 'pwned' end}; string.upper = nil")
  assert(("x"):upper() == "X")
end)
attack("a table finalizer that loops with hooks off", function()
  assert(not pcall(setmetatable, {}, {__gc = function() while true do end end}))
end)
attack("a metatable carried in a message", function()
  local t = setmetatable({}, {__index = function() return "from the sender" end})
  ipc.sendEvent(me, "mt", t)
  local _, got = ipc.receiveEvent(me, "mt", 1)
  assert(getmetatable(got) == nil and got.anything == nil)
end)
attack("a received table shares nothing with the sender", function()
  local original = {x = 1}
  ipc.sendEvent(me, "copy", original)
  local _, got = ipc.receiveEvent(me, "copy", 1)
  got.x = 2
  setmetatable(got, {__newindex = error})
  assert(original.x == 1 and getmetatable(original) == nil)
end)
attack("reach another process's globals", function()
  in_child("secret_global = 'leaked'; _G.print = nil")
  assert(secret_global == nil and type(print) == "function")
end)
attack("fs: climb out with ..", function()
  assert(not fs.exists("../../../../etc/passwd"))
  assert(fs.open("../../../../etc/hostname", "r") == nil)
end)
attack("fs: absolute host path", function() assert(fs.open("/proc/self/environ", "r") == nil) end)
attack("fs: NUL byte in a path", function() assert(not pcall(fs.open, "/a\0/../../etc/passwd", "r")) end)
attack("fs: over-long path", function() assert(not pcall(fs.open, string.rep("x", 5000), "w")) end)
attack("fs: write into /rom", function()
  assert(fs.open("/rom/startup.lua", "w") == nil)
  assert(not pcall(fs.delete, "/rom"))
  assert(not pcall(fs.move, "/rom/startup.lua", "/stolen.lua"))
  assert(fs.exists("/rom/startup.lua"))
end)
attack("signal PID 1", function()
  local ok, err = pcall(ipc.kill, 1, ipc.signal.SIGKILL)
  assert(not ok and err:find("Permission denied"))
end)
attack("become root with setuser", function()
  local ok, err = pcall(process.setuser, me, "root")
  assert(not ok and err:find("Permission denied"))
end)
attack("signal another user's process", function()
  -- init (root) is PID 1; any other root process works as well: none of
  -- ours may be signalled by "user" except our own.
  local info = process.getpinfo(1)
  assert(info.user == "root")
  assert(not pcall(ipc.kill, 1, ipc.signal.SIGTERM))
end)
attack("steal the terminal's input", function()
  local info = in_child([[
    local process = require("system.process")
    local ok = pcall(process.setforeground, process.getpid())
    process.exit(ok and 1 or 0)
  ]])
  assert(info.status == 0, "a background child took the terminal")
end)
attack("fork bomb", function()
  local info = in_child([[
    local process = require("system.process")
    local n = 0
    while true do
      local pid, err = process.startString("require('system.ipc').receiveEvent(nil, 'never')", "bomb")
      if not pid then assert(err == "too many processes", err) break end
      n = n + 1
    end
    for _, pid in ipairs(process.getplist()) do
      if process.getpinfo(pid).name == "bomb" then require("system.ipc").kill(pid, 9) end
    end
  ]])
  assert(info.status == 0, info.error)
end)
attack("timer flood", function()
  local info = in_child("for i = 1, 5000 do os.startTimer(100) end")
  assert(info.status == 1 and info.error:find("too many timers"), info.error)
end)
attack("service flood", function()
  local info = in_child("for i = 1, 1000 do require('system.ipc').register('s' .. i) end")
  assert(info.status == 1 and info.error:find("too many services"), info.error)
end)
attack("event flood to self", function()
  local info = in_child("for i = 1, 10000 do os.queueEvent('x', i) end require('system.ipc').sendEvent(require('system.process').getpid(), 'y')")
  assert(info.status == 0, info.error)
end)
attack("exhaust the trace", function()
  local info = in_child("local ipc = require('system.ipc') local p = require('system.process').getpid() for i = 1, 100000 do ipc.sendEvent(p, 'x') ipc.receiveEvent(p, 'x', 0) end")
  assert(info.status == 0, info.error)
end)
attack("exhaust the terminal", function()
  local info = in_child("term.write(string.rep('x', 4000000)) term.scroll(1e9) term.setCursorPos(-1e9, 1e9) term.write('y') print(string.rep('z ', 100000))")
  assert(info.status == 0, info.error)
end)
attack("coroutine C-stack bomb", function()
  local info = in_child("local function f() return coroutine.wrap(f)() end f()")
  assert(info.status == 1, "ended with an error, alone")
end)
attack("error object whose __tostring loops", function()
  local info = in_child("error(setmetatable({}, {__tostring = function() while true do end end}))")
  assert(info.status == 1 and info.error:find("table value"), info.error)
end)
attack("huge allocations", function()
  local info = in_child("local s = string.rep('x', 1 << 40)")
  assert(info.status == 1, info.error)
  info = in_child("local t = table.concat({}, string.rep('x', 1e8))")
  assert(info.status == 1 or info.status == 0)
end)
print(stopped .. " attacks stopped")
