-- parallel: run functions side by side as coroutines of this process, as
-- CC's parallel does. Each coroutine is resumed with every event whose name
-- matches the filter it yielded (terminate always passes); waitForAny ends
-- when one finishes, waitForAll when all have. An error in one is raised
-- from the call.
--
-- Errors follow CC's exception protocol (cc.internal.exception): each
-- coroutine starts at a try barrier that names the coroutine that called
-- parallel, and a string error is rethrown wrapped with the coroutine it
-- happened in when no pcall would see it (try then reports that
-- coroutine's stack), as it is otherwise.
local parallel = {}

local exception  -- cc.internal.exception, loaded with the first call
local function exceptions()
  exception = exception or dofile("/rom/modules/main/cc/internal/exception.lua")
  return exception
end

local function create(...)
  local fns = table.pack(...)
  local routines = {}
  local barrier = exceptions().try_barrier
  local parent = {co = coroutine.running()}
  for i = 1, fns.n do
    local fn = fns[i]
    if type(fn) ~= "function" then
      error("bad argument #" .. i .. " (function expected, got " .. type(fn) .. ")", 3)
    end
    routines[i] = coroutine.create(function() return barrier(parent, fn) end)
  end
  return routines, fns.n
end

-- Resumes the coroutines with each event until no more than `limit` of them
-- are alive; returns the index of the one whose end reached the limit.
local function run(routines, count, limit)
  if count < 1 then return 0 end
  local living = count
  local filters = {}
  local event = {n = 0}
  while true do
    for i = 1, count do
      local r = routines[i]
      if r and (filters[r] == nil or filters[r] == event[1] or event[1] == "terminate") then
        local ok, filter = coroutine.resume(r, table.unpack(event, 1, event.n))
        if not ok then
          if type(filter) == "string" and exception.can_wrap_errors() then
            error(exception.make_exception(filter, r))
          end
          error(filter, 0)
        end
        filters[r] = filter
        if coroutine.status(r) == "dead" then
          routines[i] = nil
          living = living - 1
          if living <= limit then return i end
        end
      end
    end
    event = table.pack(os.pullEventRaw())
  end
end

function parallel.waitForAny(...)
  local routines, n = create(...)
  return run(routines, n, n - 1)
end

function parallel.waitForAll(...)
  local routines, n = create(...)
  run(routines, n, 0)
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(parallel) do _ENV[k] = v end end
return parallel
