--- Running a function so that its error can be reported well, as CC's
-- cc.internal.exception (used by the lua program, edit's Run, and programs
-- that run code for the user). An internal module: its API may change.

local M = {}

-- The exception protocol (CC's): an error that a coroutine manager (such
-- as parallel) rethrows from one of its coroutines may carry the coroutine
-- it happened in: a table whose metatable's __name is "exception", with a
-- string `message` and a coroutine `thread`. try unwraps it, so that report
-- shows where the error really was.
local exception_mt = {
  __name = "exception",
  __tostring = function(self) return self.message end,
}

function M.make_exception(message, thread)
  return setmetatable({message = message, thread = thread}, exception_mt)
end

function M.is_exception(e)
  if type(e) ~= "table" then return false end
  local mt = getmetatable(e)
  return type(mt) == "table" and mt.__name == "exception" and type(rawget(e, "message")) == "string"
    and type(rawget(e, "thread")) == "thread"
end

-- The first function on the stack of a coroutine that try (or parallel)
-- runs: `parent` ({co = the coroutine that started it}) tells
-- can_wrap_errors where to look further. `bounce` keeps f's call from being
-- a tail call, so that the barrier stays on the stack.
local function bounce(...) return ... end
function M.try_barrier(parent, f, ...) return bounce(f(...)) end

-- A barrier is known by where it is defined, not by identity: every copy of
-- this module (a program's require, an API file's dofile) makes its own.
local barrier_info = debug.getinfo(M.try_barrier, "S")
local function is_barrier(frame)
  return frame.source == barrier_info.source and frame.linedefined == barrier_info.linedefined
end

-- The calls that catch errors. moonbox's debug.getinfo never hands out a C
-- function, so they are known by the name they were called by.
local catches = {pcall = true, xpcall = true, load = true}

--- Whether an error raised now would be seen only by try (no pcall, xpcall
-- or load between here and a try barrier, following barriers to the
-- coroutines that started them): it may then be wrapped into an exception.
function M.can_wrap_errors(thread)
  thread = thread or coroutine.running()
  for offset = 0, 31 do
    local frame = debug.getinfo(thread, offset, "Sn")
    if not frame then return false end
    if is_barrier(frame) then
      local _, parent = debug.getlocal(thread, offset, 1)
      if type(parent) ~= "table" or type(parent.co) ~= "thread" then return false end
      if parent.can_wrap == nil then parent.can_wrap = M.can_wrap_errors(parent.co) end
      return parent.can_wrap
    elseif frame.what == "C" and catches[frame.name] then
      return false
    end
  end
  return false
end

--- Resumes co with ... until it ends, passing its yields on to the caller's
-- own resumer (and what that resumes it with back to co). Returns what the
-- last resume gave, packed: true and the results, or false and the error.
function M.run_to_end(co, ...)
  local result = table.pack(coroutine.resume(co, ...))
  while coroutine.status(co) ~= "dead" do
    local resumed = table.pack(coroutine.yield(table.unpack(result, 2, result.n)))
    result = table.pack(coroutine.resume(co, table.unpack(resumed, 1, resumed.n)))
  end
  return result
end

--- Runs fn(...) in a coroutine of its own, passing its yields on (so it may
-- pull events and be preempted). Returns true and fn's results, or false,
-- the error, and the coroutine it happened in (for report): an exception's
-- own coroutine when the error came wrapped in one.
function M.try(fn, ...)
  local co = coroutine.create(M.try_barrier)
  local result = M.run_to_end(co, {co = co, can_wrap = true}, fn, ...)
  if result[1] then return table.unpack(result, 1, result.n) end
  if M.is_exception(result[2]) then return false, rawget(result[2], "message"), rawget(result[2], "thread") end
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
  -- CC's later form: report(exception, chunks), the exception (cc.exception's)
  -- carrying its message and coroutine.
  if chunks == nil and type(co) == "table" then co, chunks = nil, co end
  if M.is_exception(err) then
    co = co or rawget(err, "thread")
    err = rawget(err, "message")
  end
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
    -- (C functions and try's own barrier are not where the error was)
    local own = debug.getinfo(1, "S").short_src
    for frame in traceback:gmatch("\n\t([^\n]+)") do
      if not frame:find("^%[C%]") and frame:sub(1, #own + 1) ~= own .. ":" then frames[#frames + 1] = frame end
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
