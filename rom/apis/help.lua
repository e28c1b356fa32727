-- help: CC's help API over the pages in /rom/help.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local help = {}
local path = "/rom/help"

function help.path() return path end

function help.setPath(new)
  expect(1, new, "string")
  path = new
end

local extensions = {"", ".md", ".txt"}

function help.lookup(topic)
  expect(1, topic, "string")
  for dir in path:gmatch("[^:]+") do
    local base = fs.combine(dir, topic)
    for _, ext in ipairs(extensions) do
      local file = base .. ext
      if fs.exists(file) and not fs.isDir(file) then return file end
    end
  end
  return nil
end

function help.topics()
  return require("cc.internal.names").in_path(path, function(dir) return dir end,
    function(file) return (file:gsub("%.md$", ""):gsub("%.txt$", "")) end)
end

function help.completeTopic(prefix)
  expect(1, prefix, "string")
  local results = {}
  for _, topic in ipairs(help.topics()) do
    if #topic > #prefix and topic:sub(1, #prefix) == prefix then results[#results + 1] = topic:sub(#prefix + 1) end
  end
  return results
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(help) do _ENV[k] = v end end
return help
