-- io: CC's io library over fs handles (no host files, no popen). Handles
-- are objects with methods (file:read, file:write...); io.read and
-- io.write use the terminal until io.input / io.output change them.
local expect = require("cc.expect").expect

local io = {}

local handle_mt = {__name = "FILE*"}
local methods = {}
handle_mt.__index = methods
handle_mt.__tostring = function(self)
  if self._closed then return "file (closed)" end
  return ("file (%s)"):format(self._id)
end

local function make(h, id)
  return setmetatable({_handle = h, _id = id or tostring(h):match("0x%x+") or "0x0"}, handle_mt)
end

local function check_handle(self, name)
  if getmetatable(self) ~= handle_mt then
    error("bad argument #1 to '" .. name .. "' (FILE* expected, got " .. type(self) .. ")", 3)
  end
  if self._closed then error("attempt to use a closed file", 3) end
  return self._handle
end

local function read_one(h, fmt, n)
  if type(fmt) == "number" then
    if not h.read then error("file is not readable", 3) end
    if fmt == 0 then
      -- "" unless at the end, without consuming anything
      if not h.read(1) then return nil end
      h.seek("cur", -1)
      return ""
    end
    return h.read(fmt)
  end
  if type(fmt) ~= "string" then error("bad argument #" .. n .. " to 'read' (invalid format)", 3) end
  fmt = fmt:gsub("^%*", ""):sub(1, 1)
  if fmt == "l" then
    if not h.readLine then error("file is not readable", 3) end
    return h.readLine(false)
  elseif fmt == "L" then
    if not h.readLine then error("file is not readable", 3) end
    return h.readLine(true)
  elseif fmt == "a" then
    if not h.readAll then error("file is not readable", 3) end
    return h.readAll() or ""
  elseif fmt == "n" then
    local line = h.readLine and h.readLine(false)
    return line and tonumber(line:match("^%s*(%S+)"))
  end
  error("bad argument #" .. n .. " to 'read' (invalid format)", 3)
end

function methods.read(self, ...)
  local h = check_handle(self, "read")
  local n = select("#", ...)
  if n == 0 then return read_one(h, "l", 1) end
  local results = {}
  for i = 1, n do
    results[i] = read_one(h, select(i, ...), i)
    if results[i] == nil then return table.unpack(results, 1, i) end
  end
  return table.unpack(results, 1, n)
end

function methods.lines(self, ...)
  check_handle(self, "lines")
  local formats = table.pack(...)
  return function()
    if self._closed then error("file is already closed", 2) end
    return self:read(table.unpack(formats, 1, formats.n))
  end
end

function methods.write(self, ...)
  local h = check_handle(self, "write")
  if not h.write then return nil, "file is not writable" end
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    expect(i, v, "string", "number")
    h.write(tostring(v))
  end
  return self
end

function methods.seek(self, whence, offset)
  local h = check_handle(self, "seek")
  expect(1, whence, "string", "nil")
  expect(2, offset, "number", "nil")
  if not h.seek then return nil, "file is not seekable" end
  return h.seek(whence, offset)
end

function methods.flush(self)
  local h = check_handle(self, "flush")
  if h.flush then h.flush() end
  return self
end

function methods.setvbuf(self)
  check_handle(self, "setvbuf")
  return true
end

function methods.close(self)
  local h = check_handle(self, "close")
  if self._close then return self._close() end
  h.close()
  self._closed = true
  return true
end

-- The terminal as handles.
local stdin = make({
  readLine = function(trailing)
    local line = read()
    if line and trailing then line = line .. "\n" end
    return line
  end,
  readAll = function()
    local lines = {}
    while true do
      local line = read()
      if not line then break end
      lines[#lines + 1] = line
    end
    return table.concat(lines, "\n")
  end,
  close = function() end,
}, "stdin")
stdin._close = function() return nil, "attempt to close standard stream" end
local stdout = make({write = function(s) write(s) end, flush = function() end, close = function() end}, "stdout")
stdout._close = function() return nil, "attempt to close standard stream" end
local stderr = make({
  write = function(s)
    local old = term.getTextColour()
    if term.isColour() then term.setTextColour(colors.red) end
    write(s)
    term.setTextColour(old)
  end,
  flush = function() end,
  close = function() end,
}, "stderr")
stderr._close = function() return nil, "attempt to close standard stream" end
io.stdin, io.stdout, io.stderr = stdin, stdout, stderr

local current_input, current_output = stdin, stdout

function io.open(path, mode)
  expect(1, path, "string")
  expect(2, mode, "string", "nil")
  mode = mode or "r"
  if not mode:match("^[rwa]%+?b?$") then error("Unsupported mode", 2) end
  local h, err = fs.open(path, mode)
  if not h then return nil, err end
  return make(h)
end

function io.type(obj)
  if getmetatable(obj) ~= handle_mt then return nil end
  return obj._closed and "closed file" or "file"
end

function io.close(file)
  if file == nil then return current_output:close() end
  if getmetatable(file) ~= handle_mt then expect(1, file, "FILE*") end
  return file:close()
end

function io.input(file)
  if type(file) == "string" then
    local h, err = io.open(file, "r")
    if not h then error(err, 2) end
    current_input = h
  elseif file ~= nil then
    if getmetatable(file) ~= handle_mt then expect(1, file, "FILE*", "string", "nil") end
    current_input = file
  end
  return current_input
end

function io.output(file)
  if type(file) == "string" then
    local h, err = io.open(file, "w")
    if not h then error(err, 2) end
    current_output = h
  elseif file ~= nil then
    if getmetatable(file) ~= handle_mt then expect(1, file, "FILE*", "string", "nil") end
    current_output = file
  end
  return current_output
end

function io.read(...) return current_input:read(...) end
function io.flush() return current_output:flush() end
function io.write(...) return current_output:write(...) end

function io.lines(path, ...)
  expect(1, path, "string", "nil")
  if path == nil then return current_input:lines(...) end
  local file, err = io.open(path, "r")
  if not file then error(err, 2) end
  local formats = table.pack(...)
  return function()
    if file._closed then error("file is already closed", 2) end
    local values = table.pack(file:read(table.unpack(formats, 1, formats.n)))
    if values[1] == nil then file:close() end
    return table.unpack(values, 1, values.n)
  end
end

return io
