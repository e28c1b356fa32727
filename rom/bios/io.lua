-- io: a CC-style io over fs (no host files, no popen).
local function wrap_handle(h, mode)
  local file = {}
  function file:read(fmt)
    fmt = fmt or "l"
    if type(fmt) == "string" then fmt = fmt:gsub("^%*", "") end
    if fmt == "l" then return h.readLine()
    elseif fmt == "L" then return h.readLine(true)
    elseif fmt == "a" then return h.readAll() or ""
    elseif type(fmt) == "number" then return h.read(fmt)
    end
    error("bad argument #1 to 'read' (invalid format)", 2)
  end
  function file:lines(fmt) return function() return self:read(fmt) end end
  function file:write(...)
    for i = 1, select("#", ...) do h.write(tostring(select(i, ...))) end
    return self
  end
  function file:seek(whence, offset) return h.seek(whence, offset) end
  function file:flush() if h.flush then h.flush() end end
  function file:close() h.close(); return true end
  return file
end


return {
  open = function(path, mode)
    local h, err = fs.open(path, (mode or "r"):gsub("%+", ""))
    if not h then return nil, err end
    return wrap_handle(h, mode)
  end,
  write = function(...)
    for i = 1, select("#", ...) do write(tostring(select(i, ...))) end
  end,
  read = function(fmt)
    if fmt == nil or fmt == "l" or fmt == "*l" then return read() end
    error("bad argument #1 to 'read' (only line reads from the terminal)", 2)
  end,
  lines = function(path)
    if path == nil then return function() return read() end end
    local f = assert(io.open(path, "r"))
    return function()
      local l = f:read("l")
      if l == nil then f:close() end
      return l
    end
  end,
}
