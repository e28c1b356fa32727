-- multishell: CC's multishell API for the programs in a multishell tab. The
-- multishell process owns the tabs; this talks to it through the
-- "multishell" service. Outside multishell it is nil, as in CC.
local ipc = require("system.ipc")
local process = require("system.process")
local owner = ipc.lookup("multishell")
if not owner or owner == process.getpid() then return nil end
local expect = require("cc.expect").expect
local tty = require("system.terminal").current()

-- Every multishell.* function reaches call by a tail call: its errors, at
-- level 2, are the program's.
local function call(fn, ...)
  if not ipc.sendEvent(owner, "multishell", {fn = fn, args = table.pack(tty, ...)}) then
    error("multishell is not running", 2)
  end
  local _, reply = ipc.receiveEvent(owner, "multishell_reply", 5)
  if not reply then error("multishell did not answer", 2) end
  local results = reply.results
  if not results[1] then error(results[2], 2) end
  return table.unpack(results, 2, results.n)
end

local multishell = {}
function multishell.getCurrent() return call("getCurrent") end
function multishell.getCount() return call("getCount") end
function multishell.getFocus() return call("getFocus") end
function multishell.setFocus(n)
  expect(1, n, "number")
  return call("setFocus", n)
end
function multishell.getTitle(n)
  expect(1, n, "number")
  return call("getTitle", n)
end
function multishell.setTitle(n, title)
  expect(1, n, "number")
  expect(2, title, "string")
  return call("setTitle", n, title)
end
-- launch(env, path, ...): env cannot cross processes; the program gets the
-- usual environment of a new process.
function multishell.launch(env, path, ...)
  expect(1, env, "table")
  expect(2, path, "string")
  return call("launch", path, ...)
end
return multishell
