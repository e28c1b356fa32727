-- parallel: run functions side by side as coroutines of this process, as
-- CC's parallel does. Each coroutine is resumed with every event whose name
-- matches the filter it yielded (terminate always passes); waitForAny ends
-- when one finishes, waitForAll when all have. An error in one is raised
-- from the call.
local parallel = {}

local function create(...)
  local fns = table.pack(...)
  local routines = {}
  for i = 1, fns.n do
    if type(fns[i]) ~= "function" then
      error("bad argument #" .. i .. " (function expected, got " .. type(fns[i]) .. ")", 3)
    end
    routines[i] = coroutine.create(fns[i])
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
        if not ok then error(filter, 0) end
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
