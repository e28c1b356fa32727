--- Parsing Lua source for better error messages than the compiler's, as
-- CC's cc.internal.syntax. moonbox's version finds no more than Lua's own
-- compiler: both functions return true, "print the compiler's message",
-- which is what CC's do when their parser has nothing better to say. An
-- internal module: its API may change.

local expect = require("cc.expect").expect

local M = {}

--- Checks a program's source. True when the caller should print the
-- compiler's error.
function M.parse_program(source)
  expect(1, source, "string")
  return true
end

--- Checks a line typed at the Lua prompt (an expression or statements).
function M.parse_repl(source)
  expect(1, source, "string")
  return true
end

return M
