-- os: the C part (vm/lua/LibOs.cpp: events, timers, clocks, dates, the
-- label) completed with CC's functions written in Lua.
local os = ...
local expect = require("cc.expect").expect

os.sleep = sleep

local loading = {}

-- loadAPI(path): runs the file in an environment of its own and makes its
-- globals the global table named after the file (deprecated in CC, still
-- used by old programs).
function os.loadAPI(path)
  expect(1, path, "string")
  local name = fs.getName(path)
  if name:sub(-4) == ".lua" then name = name:sub(1, -5) end
  if loading[name] then
    printError("API " .. name .. " is already being loaded")
    return false
  end
  loading[name] = true
  local env = setmetatable({}, {__index = _G})
  local fn, err = loadfile(path, nil, env)
  if fn then
    local ok, perr = pcall(fn)
    if not ok then
      loading[name] = nil
      return error("Failed to load API " .. name .. " due to " .. tostring(perr), 1)
    end
  else
    loading[name] = nil
    return error("Failed to load API " .. name .. " due to " .. tostring(err), 1)
  end
  local api = {}
  for k, v in pairs(env) do
    if k ~= "_ENV" then api[k] = v end
  end
  _G[name] = api
  loading[name] = nil
  return true
end

function os.unloadAPI(name)
  expect(1, name, "string")
  if name ~= "_G" and type(_G[name]) == "table" then _G[name] = nil end
end

-- run(env, path, ...): runs a program in this process, in env (which sees
-- the globals); false when it fails (the error is printed).
function os.run(env, path, ...)
  expect(1, env, "table")
  expect(2, path, "string")
  setmetatable(env, {__index = _G})
  local fn, err = loadfile(path, nil, env)
  if fn then
    local ok, perr = pcall(fn, ...)
    if not ok then
      if perr and perr ~= "" then printError(perr) end
      return false
    end
    return true
  end
  require("cc.internal.syntax").print_load_error(path, err)
  return false
end

return os
