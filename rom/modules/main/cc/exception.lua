--- Errors that keep where they happened, as CC's cc.exception: `try` is
-- pcall that turns a string error into an Exception, a table with the
-- `message`, the `thread` (coroutine) it was raised in and its
-- `root_cause`; tostring gives the message. Rethrown with error(), an
-- Exception is reported by the shell at its original place.
--
-- Errors that are not strings (nor exceptions) are left as they are: check
-- with is_exception before looking inside.
local expect = require("cc.expect").expect
local internal = require("cc.internal.exception")

local exception = {}

--- Whether value is an Exception: a table named "exception" by its
-- metatable, with a string message and a coroutine.
exception.is_exception = internal.is_exception

--- Wraps message, raised in thread, into an Exception: a non-empty string
-- becomes one (its own root cause); an Exception is wrapped again, keeping
-- its root cause and naming it as the cause; anything else is returned as
-- it is.
function exception.wrap_error(message, thread)
  expect(2, thread, "thread")
  if type(message) == "string" and message ~= "" then
    local wrapped = internal.make_exception(message, thread)
    wrapped.root_cause = wrapped
    return wrapped
  elseif exception.is_exception(message) then
    local wrapped = internal.make_exception(message.message, thread)
    wrapped.root_cause, wrapped.cause = message.root_cause, message
    return wrapped
  end
  return message
end

--- Calls fn(...) in a coroutine of its own (it may wait for events as
-- usual): true and its results, or false and its error as an Exception.
function exception.try(fn, ...)
  expect(1, fn, "function")
  local co = coroutine.create(fn)
  local result = internal.run_to_end(co, ...)
  if not result[1] then return false, exception.wrap_error(result[2], co) end
  return table.unpack(result, 1, result.n)
end

return exception
