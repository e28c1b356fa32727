-- A process that exceeds its memory quota gets "not enough memory" and ends
-- alone; the others, and their memory accounting, are unaffected.
-- expect-out: memory ok
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()

local before = process.getpinfo(me).memory
local hogs = {
  "local t = {} while true do t[#t + 1] = string.rep('x', 1000) .. #t end",
  "local s = 'x' while true do s = s .. s end",
  "local t = {} local i = 0 while true do i = i + 1; t[i] = {i} end",
  "local function f() return f() + 1 end f()",  -- runaway recursion
}
for i, body in ipairs(hogs) do
  local pid = process.startString(body, "hog" .. i)
  local _, info
  repeat _, info = os.pullEvent("process_complete") until info.id == pid
  check.eq(info.status, 1, "hog status")
  if i < 4 then
    check.truthy(info.error:find("not enough memory", 1, true), "hog " .. i .. ": " .. info.error)
  else
    -- The Lua stack (up to a million slots) outgrows the 16 MiB quota
    -- before Lua's own "stack overflow" limit.
    check.truthy(info.error:find("stack overflow", 1, true) or info.error:find("not enough memory", 1, true),
      "recursion: " .. info.error)
  end
  process.wait(pid)
end
-- A hog that catches the error itself survives and can free memory.
local careful = process.startString([[
  local ok, err = pcall(function() local s = 'x' while true do s = s .. s end end)
  collectgarbage()
  assert(not ok and err:find("not enough memory"), err)
  require("system.ipc").sendEvent(..., "survived", {})
]], "careful", me)
check.truthy(ipc.receiveEvent(careful, "survived", 10), "caught its own memory error")
check.eq(process.wait(careful, 5), 0, "careful status")
collectgarbage()
local after = process.getpinfo(me).memory
check.truthy(after < before + 256 * 1024, "our memory is ours alone (" .. before .. " -> " .. after .. ")")
print("memory ok")
