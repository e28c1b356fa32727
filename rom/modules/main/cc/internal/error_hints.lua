--- Hints for common errors, as CC's cc.internal.error_hints: for
-- "attempt to call a nil value (global 'pront')" and the like, the names
-- the program may have meant ("Did you mean: print?"). An internal module:
-- its API may change.
local pretty = require("cc.pretty")

local M = {}

-- The optimal string alignment distance between a and b (an edit is an
-- insertion, a deletion, a change or a swap of neighbours), or math.huge
-- once it passes `limit`.
local function distance(a, b, limit)
  if math.abs(#a - #b) > limit then return math.huge end
  local prev2, prev, row = nil, {}, nil
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    row = { [0] = i }
    local best = i
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      local d = math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      if prev2 and i > 1 and j > 1 and a:byte(i) == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
        d = math.min(d, prev2[j - 2] + 1)
      end
      row[j] = d
      if d < best then best = d end
    end
    if best > limit then return math.huge end
    prev2, prev = prev, row
  end
  return prev[#b] <= limit and prev[#b] or math.huge
end

-- The candidates closest to name (all of those at the smallest distance),
-- sorted; an empty list when none is close enough.
local function closest(name, candidates)
  local limit = math.max(1, #name // 4)
  local best, found = math.huge, {}
  for candidate in pairs(candidates) do
    if candidate ~= name then
      local d = distance(name, candidate, limit)
      if d < best then
        best, found = d, { candidate }
      elseif d == best and d ~= math.huge then
        found[#found + 1] = candidate
      end
    end
  end
  table.sort(found)
  return found
end

local function add_string_keys(into, t)
  if type(t) ~= "table" then return end
  for key in pairs(t) do
    if type(key) == "string" and key:match("^[%a_][%w_]*$") then into[key] = true end
  end
end

-- The function running at `level` of thread co, and its _ENV.
local function frame_function(co, level)
  local info = debug.getinfo(co, level, "f")
  local fn = info and info.func
  local env = _G
  if fn then
    for i = 1, 255 do
      local name, value = debug.getupvalue(fn, i)
      if not name then break end
      if name == "_ENV" then
        env = value
        break
      end
    end
  end
  return fn, env
end

local function globals_of(co, level)
  local names = {}
  local _, env = frame_function(co, level)
  add_string_keys(names, env)
  if env ~= _G then add_string_keys(names, _G) end
  return names
end

local function locals_of(co, level)
  local names = {}
  for i = 1, 255 do
    local name = debug.getlocal(co, level, i)
    if not name then break end
    if name:sub(1, 1) ~= "(" then names[name] = true end
  end
  return names
end

local function upvalues_of(co, level)
  local names = {}
  local fn = frame_function(co, level)
  for i = 1, 255 do
    local name = fn and debug.getupvalue(fn, i)
    if not name then break end
    names[name] = true
  end
  return names
end

-- Which table a field was looked up in is not in the message: the keys of
-- the tables the code could name (its locals' and its globals'), one level
-- deep.
local function fields_of(co, level)
  local names = {}
  local _, env = frame_function(co, level)
  for _, value in pairs(env) do add_string_keys(names, value) end
  for i = 1, 255 do
    local name, value = debug.getlocal(co, level, i)
    if not name then break end
    add_string_keys(names, value)
  end
  return names
end

-- A global the program did not define may be a misspelt local too.
local function names_of(co, level)
  local names = globals_of(co, level)
  for name in pairs(locals_of(co, level)) do names[name] = true end
  for name in pairs(upvalues_of(co, level)) do names[name] = true end
  return names
end

local CANDIDATES = {
  global = names_of, ["local"] = locals_of, upvalue = upvalues_of, field = fields_of, method = fields_of,
}

-- (pretty.concat, not `..` on documents: see cc.internal.syntax.errors)
local function did_you_mean(names)
  local parts = { "Did you mean: " }
  for i, name in ipairs(names) do
    if i > 1 then parts[#parts + 1] = i == #names and " or " or ", " end
    parts[#parts + 1] = name
  end
  parts[#parts + 1] = "?"
  return pretty.concat(table.unpack(parts))
end

--- A hint for an error message, if there is one.
-- @tparam string err The message, without its position.
-- @tparam thread co The coroutine the error happened in (it may be dead).
-- @tparam number level The level of co's stack where it happened.
-- @return A cc.pretty document, or nil.
function M.get_tip(err, co, level)
  if type(err) ~= "string" or type(co) ~= "thread" then return nil end
  local kind, name = err:match("^attempt to %a+ a nil value %((%a+) '([^']+)'%)$")
  local candidates = kind and CANDIDATES[kind]
  if not candidates then return nil end
  local ok, names = pcall(candidates, co, level or 0)
  if not ok then return nil end
  local found = closest(name, names)
  if #found == 0 then return nil end
  return did_you_mean(found)
end

return M
