--- Running a function so that its error can be reported well, as CC's
-- cc.internal.exception (used by the lua program, edit's Run, and programs
-- that run code for the user). An internal module: its API may change.

local M = {}

--- Runs fn(...) in a coroutine of its own, passing its yields on (so it may
-- pull events and be preempted). Returns true and fn's results, or false,
-- the error, and the coroutine it happened in (for report).
function M.try(fn, ...)
  local co = coroutine.create(fn)
  local result = table.pack(coroutine.resume(co, ...))
  while coroutine.status(co) ~= "dead" do
    local resumed = table.pack(coroutine.yield(table.unpack(result, 2, result.n)))
    result = table.pack(coroutine.resume(co, table.unpack(resumed, 1, resumed.n)))
  end
  if result[1] then return table.unpack(result, 1, result.n) end
  return false, result[2], co
end

-- The source of a chunk as `chunks` gives it: a string, or {contents=,
-- offset=} (offset: the length of a prefix the chunk was loaded with, on
-- its first line, such as the lua program's "return _echo(": it shifts
-- columns, not lines).
local function source_of(chunks, name)
  local chunk = chunks and (chunks[name] or chunks["@" .. name] or chunks["=" .. name])
  if type(chunk) == "string" then return chunk end
  if type(chunk) == "table" and type(chunk.contents) == "string" then return chunk.contents end
end

--- Reports an error that try caught, after its message (which the caller
-- prints): the line of source it points at, when `chunks` (chunk name ->
-- source) has it, a hint for a misspelt name, then where it happened.
function M.report(err, co, chunks)
  if type(err) == "string" then
    local name, line = err:match("^([^:]+):(%d+):")
    local source = source_of(chunks, name)
    if source then
      local n = tonumber(line)
      local i = 0
      for text in (source .. "\n"):gmatch("([^\n]*)\n") do
        i = i + 1
        if i == n then
          local old = term.getTextColour()
          if term.isColour() then term.setTextColour(colours.lightGrey) end
          print(("%5d | %s"):format(n, text))
          term.setTextColour(old)
          break
        end
      end
    end
  end
  if type(err) == "string" and type(co) == "thread" then
    -- a hint for a misspelt name (cc.internal.error_hints)
    local tip = require("cc.internal.error_hints").get_tip((err:gsub("^[^:]+:%d+: ", "")), co, 0)
    if tip then
      local old = term.getTextColour()
      if term.isColour() then term.setTextColour(colours.lightGrey) end
      print(tostring(tip))
      term.setTextColour(old)
    end
  end
  if type(co) == "thread" then
    local traceback = debug.traceback(co)
    local frames = {}
    for frame in traceback:gmatch("\n\t([^\n]+)") do
      if not frame:find("^%[C%]") then frames[#frames + 1] = frame end
    end
    if #frames > 1 then
      local old = term.getTextColour()
      if term.isColour() then term.setTextColour(colours.lightGrey) end
      print("stack traceback:")
      for _, frame in ipairs(frames) do print("  " .. frame) end
      term.setTextColour(old)
    end
  end
end

return M
