--- cc.require: a require and package for an environment, as CC makes for
-- each program (paths relative to the given directory).
local expect = require("cc.expect").expect

local M = {}

local function preload(package)
  return function(name)
    if package.preload[name] then return package.preload[name], ":preload:" end
    return nil, "no field package.preload['" .. name .. "']"
  end
end

local function from_file(package, env)
  return function(name)
    local path, err = package.searchpath(name, package.path)
    if not path then return nil, err end
    local fn, lerr = loadfile(path, nil, env)
    if fn then return fn, path end
    error(lerr, 0)
  end
end

local sentinel = {}

function M.make(env, dir)
  expect(1, env, "table")
  expect(2, dir, "string")
  local package = {}
  package.loaded = {_G = _G, package = package}
  for _, api in ipairs({"bit32", "coroutine", "math", "string", "table", "utf8"}) do
    package.loaded[api] = _G[api]
  end
  package.path = "?;?.lua;?/init.lua;/rom/modules/main/?;/rom/modules/main/?.lua;/rom/modules/main/?/init.lua"
  package.config = "/\n;\n?\n!\n-"
  package.preload = {}
  function package.searchpath(name, path)
    expect(1, name, "string")
    expect(2, path, "string")
    local fname = name:gsub("%.", "/")
    local tried = {}
    for pattern in path:gmatch("[^;]+") do
      local file = pattern:gsub("%?", fname)
      if file:sub(1, 1) ~= "/" then file = fs.combine(dir, file) end
      if fs.exists(file) and not fs.isDir(file) then return file end
      tried[#tried + 1] = "no file '" .. file .. "'"
    end
    return nil, table.concat(tried, "\n  ")
  end
  package.loaders = {preload(package), from_file(package, env)}
  package.searchers = package.loaders

  local function require(name)
    expect(1, name, "string")
    if package.loaded[name] == sentinel then error("loop or previous error loading module '" .. name .. "'", 0) end
    if package.loaded[name] then return package.loaded[name] end
    -- moonbox's built-in modules (system.*, cc.expect) come first.
    local ok, builtin = pcall(_G.require, name)
    if ok and (name:find("^system%.") or name == "cc.expect") then
      package.loaded[name] = builtin
      return builtin
    end
    local errors = {"module '" .. name .. "' not found:"}
    for _, searcher in ipairs(package.loaders) do
      local loader, extra = searcher(name)
      if loader then
        package.loaded[name] = sentinel
        local result = loader(name, extra)
        if result == nil then result = true end
        package.loaded[name] = result
        return result
      end
      errors[#errors + 1] = extra
    end
    -- CC's words: each searcher's reason on a line of its own, indented
    error(table.concat(errors, "\n  "), 2)
  end
  return require, package
end

return M
