-- file_transfer: CC's TransferredFiles, built from the plain data a
-- file_transfer event carries ({files = {{name =, contents =}, ...}}) when a
-- program pulls the event (vm/lua/LibOs.cpp). getFiles() lists one binary
-- read handle per file, each with getName(), as CC's.
local data = ...

local function read_handle(name, contents)
  local pos, closed = 0, false  -- pos: bytes read so far
  local handle = {}
  local function check()
    if closed then error("attempt to use a closed file", 3) end
  end

  function handle.getName() return name end

  function handle.read(count)
    check()
    if pos >= #contents then return nil end
    if count == nil then
      pos = pos + 1
      return contents:byte(pos)
    end
    if type(count) ~= "number" then error("bad argument #1 to 'read' (number expected, got " .. type(count) .. ")", 2) end
    if count < 0 then error("Cannot read a negative number of bytes", 2) end
    local chunk = contents:sub(pos + 1, pos + count)
    pos = pos + #chunk
    return chunk
  end

  function handle.readAll()
    check()
    if pos >= #contents then return nil end
    local rest = contents:sub(pos + 1)
    pos = #contents
    return rest
  end

  function handle.readLine(with_trailing)
    check()
    if pos >= #contents then return nil end
    local line_end = contents:find("\n", pos + 1, true) or #contents
    local line = contents:sub(pos + 1, line_end)
    pos = line_end
    if not with_trailing then line = line:gsub("\r?\n$", "") end
    return line
  end

  function handle.seek(whence, offset)
    check()
    whence, offset = whence or "cur", offset or 0
    local base = ({ set = 0, cur = pos, ["end"] = #contents })[whence]
    if not base then error("bad argument #1 to 'seek' (invalid option '" .. tostring(whence) .. "')", 2) end
    if base + offset < 0 then return nil, "Position is negative" end
    pos = base + offset
    return pos
  end

  function handle.close()
    check()
    closed = true
  end

  return handle
end

local files = {}
for i, file in ipairs(data.files) do
  if type(file) == "table" then
    files[#files + 1] = read_handle(tostring(file.name or ("file" .. i)), tostring(file.contents or ""))
  end
end
return { getFiles = function() return files end }
