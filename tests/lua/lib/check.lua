-- Assertions for the Lua scenarios. Each failure raises an error, so the
-- program ends with status 1 and the message on stderr.
local check = {}

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function check.eq(actual, expected, what)
  if actual ~= expected then
    error(string.format("%s: expected %s, got %s", what or "value", show(expected), show(actual)), 2)
  end
end

function check.truthy(v, what)
  if not v then error((what or "value") .. ": expected a true value, got " .. show(v), 2) end
end

-- fn(...) must raise an error whose message contains `text` (plain match).
function check.raises(text, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error containing " .. show(text) .. ", got none", 2) end
  if not string.find(tostring(err), text, 1, true) then
    error("expected an error containing " .. show(text) .. ", got " .. show(err), 2)
  end
  return err
end

-- Deep equality of plain values.
function check.same(a, b, what, seen)
  seen = seen or {}
  if type(a) ~= "table" or type(b) ~= "table" then
    if a ~= b and not (a ~= a and b ~= b) then
      error(string.format("%s: expected %s, got %s", what or "value", show(b), show(a)), 2)
    end
    return
  end
  if seen[a] then return end
  seen[a] = true
  for k, v in pairs(b) do check.same(a[k], v, (what or "value") .. "." .. tostring(k), seen) end
  for k in pairs(a) do
    if b[k] == nil then error((what or "value") .. ": unexpected key " .. show(k), 2) end
  end
end

-- Polls cond() (sleeping between tries) for up to `seconds`.
function check.eventually(cond, seconds, what)
  local process = require("system.process")
  local deadline = os.clock() + (seconds or 5)
  while os.clock() < deadline do
    if cond() then return end
    process.sleep(0.01)
  end
  error((what or "condition") .. " did not become true", 2)
end

-- The state of a process, or nil when it is gone.
function check.state(pid)
  local info = require("system.process").getpinfo(pid)
  return info and info.state
end

return check
