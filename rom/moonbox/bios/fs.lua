-- fs: the C file system API (vm/lua/LibFs.cpp) completed with CC's
-- functions written in Lua: find (wildcards), complete, isDriveRoot.
local fs = ...
local expect = require("cc.expect")
local field = expect.field
expect = expect.expect

-- find("rom/*/a?c"): the paths that match, sorted. * matches any run of
-- characters in one name, ? one character.
function fs.find(pattern)
  expect(1, pattern, "string")
  pattern = fs.combine(pattern)
  if pattern == ".." or pattern:sub(1, 3) == "../" then error("/" .. pattern .. ": Invalid Path", 2) end
  if not pattern:find("[*?]") then
    if fs.exists(pattern) then return {pattern} end
    return {}
  end
  local parts = {}
  for part in pattern:gmatch("[^/]+") do
    if part:find("[*?]") then
      parts[#parts + 1] = {exact = false, part = "^" .. part:gsub("[%^%$%(%)%%%.%[%]%+%-]", "%%%0"):gsub("%*", ".*"):gsub("%?", ".") .. "$"}
    else
      parts[#parts + 1] = {exact = true, part = part}
    end
  end
  local out = {}
  local function walk(path, i)
    local part = parts[i]
    if not part then
      out[#out + 1] = path
      return
    end
    if part.exact then
      local child = fs.combine(path, part.part)
      if fs.exists(child) then walk(child, i + 1) end
    elseif fs.isDir(path) then
      for _, name in ipairs(fs.list(path)) do
        if name:find(part.part) then walk(fs.combine(path, name), i + 1) end
      end
    end
  end
  walk("", 1)
  table.sort(out)
  return out
end

function fs.isDriveRoot(path)
  expect(1, path, "string")
  return fs.getDir(path) == ".." or fs.getDrive(path) ~= fs.getDrive(fs.getDir(path))
end

-- complete(partial, dir [, options]): the endings of the names in `dir` that
-- start with `partial`, for read()'s completion, as CC's.
function fs.complete(path, location, include_files, include_dirs)
  expect(1, path, "string")
  expect(2, location, "string")
  local include_hidden = nil
  if type(include_files) == "table" then
    include_dirs = field(include_files, "include_dirs", "boolean", "nil")
    include_hidden = field(include_files, "include_hidden", "boolean", "nil")
    include_files = field(include_files, "include_files", "boolean", "nil")
  else
    expect(3, include_files, "boolean", "nil")
    expect(4, include_dirs, "boolean", "nil")
  end
  include_hidden = include_hidden ~= false
  include_files = include_files ~= false
  include_dirs = include_dirs ~= false
  local dir = location
  local start = 1
  local slash = path:find("[/\\]", start)
  local in_location = slash == nil
  if slash == 1 then
    dir = ""
    start = 2
  end
  local name
  while not name do
    slash = path:find("[/\\]", start)
    if slash then
      dir = fs.combine(dir, path:sub(start, slash - 1))
      start = slash + 1
    else
      name = path:sub(start)
    end
  end
  if not fs.isDir(dir) then return {} end
  local results = {}
  -- Completing in the location itself, ".." is a directory like the others.
  if in_location and dir ~= "" and (name == "" or name == ".") then results[#results + 1] = (".."):sub(#name + 1) .. "/" end
  for _, file in ipairs(fs.list(dir)) do
    if #file >= #name and file:sub(1, #name) == name and (include_hidden or file:sub(1, 1) ~= "." or name:sub(1, 1) == ".") then
      local is_dir = fs.isDir(fs.combine(dir, file))
      local rest = file:sub(#name + 1)
      if is_dir then
        results[#results + 1] = rest .. "/"
        if include_dirs and #rest > 0 then results[#results + 1] = rest end
      elseif include_files and #rest > 0 then
        results[#results + 1] = rest
      end
    end
  end
  return results  -- in fs.list's order, each directory's "name/" before "name", as CC's
end

return fs
