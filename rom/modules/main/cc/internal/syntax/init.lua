--- Better messages for syntax errors than the compiler's, as CC's
-- cc.internal.syntax: a parser of its own finds the first error, and
-- cc.internal.error_printer shows it with the line it is on. Callers run
-- this once the compiler has rejected the source, and print the compiler's
-- message themselves when these functions return true (the parser found
-- nothing to say). An internal module: its API may change.

local expect = require("cc.expect").expect
local parser = require("cc.internal.syntax.parser")
local error_printer = require("cc.internal.error_printer")

local syntax = {}

--- Checks a program's source, printing the first syntax error. True when
-- the parser found none (the caller prints the compiler's message then).
function syntax.parse_program(source)
  expect(1, source, "string")
  local ok, message, context = parser.parse(source, "program")
  if ok then return true end
  error_printer(context, message)
  return false
end

--- Checks a line typed at the Lua prompt, which may be statements or a
-- list of expressions: the error shown is the one of the reading that got
-- furthest (the program's, when both stop at the same token).
function syntax.parse_repl(source)
  expect(1, source, "string")
  local exprs_ok, exprs_message, exprs_context, exprs_taken = parser.parse(source, "exprs")
  if exprs_ok then return true end
  local ok, message, context, taken = parser.parse(source, "program")
  if ok then return true end
  if exprs_taken > taken then message, context = exprs_message, exprs_context end
  error_printer(context, message)
  return false
end

--- Prints why the program at path did not load (err, the compiler's
-- message): CC's explanation when it is a syntax error the parser finds, as
-- CC's shell does for programs up to 128 KiB, the message itself otherwise.
-- (moonbox's; CC's shell does this inline.)
function syntax.print_load_error(path, err)
  expect(1, path, "string")
  local handle = fs.open(path, "r")
  local source = handle and handle.readAll()
  if handle then handle.close() end
  if type(source) == "string" and #source <= 128 * 1024 and not load(source, "=" .. path, "t")
    and not syntax.parse_program(source) then
    return
  end
  if err and err ~= "" then printError(err) end
end

return syntax
