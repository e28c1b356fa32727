--- The messages of CC's parser-based syntax errors, as CC's
-- cc.internal.syntax.errors: each function takes the positions involved
-- (offsets into the source) and returns a message, a list of parts that
-- cc.internal.error_printer shows: strings and documents are paragraphs,
-- {tag = "annotate", start_pos, end_pos, msg} marks a place in the source.
-- Tokens are named by their kind, as cc.internal.syntax.lexer gives it. An
-- internal module: its API may change.

local pretty = require("cc.pretty")

local errors = {}

-- Source code inside a message: light grey, as CC's.
local function code(text) return pretty.text(text, colours.lightGrey) end

-- The template's text with each %s replaced by the next argument (a string
-- or a document). Joined with pretty.concat, not `..`: Lua 5.4.4 may corrupt
-- its stack when a __concat metamethod runs near the end of a coroutine's
-- stack (see the README's known problems), and these messages are made
-- where a parse failed, deep in the parser.
local function say(template, ...)
  local parts, args, i = {}, table.pack(...), 0
  for text, hole in template:gmatch("([^%%]*)(%%?s?)") do
    if text ~= "" then parts[#parts + 1] = text end
    if hole == "%s" then
      i = i + 1
      parts[#parts + 1] = args[i]
    end
  end
  return pretty.concat(table.unpack(parts))
end

local function annotate(start_pos, end_pos, msg)
  if type(end_pos) ~= "number" then end_pos, msg = start_pos, end_pos end
  return {tag = "annotate", start_pos = start_pos, end_pos = end_pos, msg = msg or ""}
end

local described = {IDENT = "identifier", NUMBER = "number", STRING = "string", EOF = "end of file"}

--- A token kind as a message names it: "identifier", or the symbol in code.
local function name(kind) return described[kind] or code(kind) end

-- Lexer errors ---------------------------------------------------------------

function errors.unfinished_string(start_pos, end_pos, quote)
  return {
    say("This string is not finished. Are you missing a closing quote (%s)?", code(quote)),
    annotate(start_pos, "String started here."),
    annotate(end_pos, "Expected a closing quote here."),
  }
end

function errors.unfinished_string_escape(start_pos, end_pos)
  return {
    "This string is not finished.",
    annotate(start_pos, "String started here."),
    annotate(end_pos, "An escape sequence was started here, but with nothing following it."),
  }
end

local function closing(len) return code("]" .. ("="):rep(len - 1) .. "]") end

-- A long string or comment ("string", "comment") with no closing bracket.
local function unfinished_long(what, start_pos, end_pos, len)
  return {
    "This " .. what .. " was never finished.",
    annotate(start_pos, end_pos, what:sub(1, 1):upper() .. what:sub(2) .. " was started here."),
    say("We expected a closing delimiter (%s) somewhere after this " .. what .. " was started.", closing(len)),
  }
end

function errors.unfinished_long_string(start_pos, end_pos, len)
  return unfinished_long("string", start_pos, end_pos, len)
end

function errors.malformed_long_string(start_pos, end_pos)
  return {
    "Incorrect start of a long string.",
    annotate(start_pos, end_pos),
    say("Tip: If you wanted to start a long string here, add an extra %s here.", code("[")),
  }
end

function errors.nested_long_str(start_pos, end_pos)
  return { say("%s cannot be nested inside another %s", code("[["), code("[[ ... ]]")), annotate(start_pos, end_pos) }
end

function errors.malformed_number(start_pos, end_pos)
  return {
    "This isn't a valid number.",
    annotate(start_pos, end_pos),
    say("Numbers must be in one of the following formats: %s, %s, %s, %s.",
      code("123"), code("3.14"), code("23e35"), code("0x01AF")),
  }
end

function errors.unfinished_long_comment(start_pos, end_pos, len)
  return unfinished_long("comment", start_pos, end_pos, len)
end

-- A C-style operator where Lua has a word or another symbol: &&, ||, !=, !.
local function wrong(start_pos, end_pos, instead, purpose)
  return {
    "Unexpected character.",
    annotate(start_pos, end_pos),
    say("Tip: Replace this with %s to %s.", code(instead), purpose),
  }
end

function errors.wrong_and(s, e) return wrong(s, e, "and", "check if both values are true") end
function errors.wrong_or(s, e) return wrong(s, e, "or", "check if either value is true") end
function errors.wrong_ne(s, e) return wrong(s, e, "~=", "check if two values are not equal") end
function errors.wrong_not(s, e) return wrong(s, e, "not", "negate a boolean") end

function errors.unexpected_character(pos)
  return { "Unexpected character.", annotate(pos, "This character isn't usable in Lua code.") }
end

-- Expressions ----------------------------------------------------------------

function errors.expected_expression(kind, s, e)
  return { say("Unexpected %s. Expected an expression.", name(kind)), annotate(s, e) }
end

function errors.expected_var(kind, s, e)
  return { say("Unexpected %s. Expected a variable name.", name(kind)), annotate(s, e) }
end

function errors.use_double_equals(s, e)
  return {
    say("Unexpected %s in expression.", code("=")),
    annotate(s, e),
    say("Tip: Replace this with %s to check if two values are equal.", code("==")),
  }
end

function errors.table_key_equals(s, e)
  return {
    say("Unexpected %s in expression.", code("=")),
    annotate(s, e),
    say("Tip: Wrap the preceding expression in %s and %s to use it as a table key.", code("["), code("]")),
  }
end

-- prev: the last position of the entry before the token.
function errors.missing_table_comma(kind, s, e, prev)
  return {
    say("Unexpected %s in table.", name(kind)),
    annotate(s, e),
    annotate(prev + 1, prev + 1, "Are you missing a comma here?"),
  }
end

function errors.trailing_call_comma(comma_s, comma_e, paren_s, paren_e)
  return {
    say("Unexpected %s in function call.", code(")")),
    annotate(paren_s, paren_e),
    annotate(comma_s, comma_e, say("Tip: Try removing this %s.", code(","))),
  }
end

-- Statements -----------------------------------------------------------------

function errors.expected_statement(kind, s, e)
  return { say("Unexpected %s. Expected a statement.", name(kind)), annotate(s, e) }
end

function errors.local_function_dot(local_s, local_e, dot_s, dot_e)
  return {
    say("Cannot use %s with a table key.", code("local function")),
    annotate(dot_s, dot_e, say("%s appears here.", code("."))),
    annotate(local_s, local_e, say("Tip: Try removing this %s keyword.", code("local"))),
  }
end

-- pos: where the token after the name starts.
function errors.standalone_name(kind, pos)
  return {
    say("Unexpected %s after name.", name(kind)),
    annotate(pos),
    "Did you mean to assign this or call it as a function?",
  }
end

function errors.standalone_names(kind, pos)
  return { say("Unexpected %s after name.", name(kind)), annotate(pos), "Did you mean to assign this?" }
end

-- The same as standalone_name, when the next token is on another line.
function errors.standalone_name_call(kind, pos)
  return {
    say("Unexpected %s after name.", name(kind)),
    annotate(pos + 1, "Expected something before the end of the line."),
    say("Tip: Use %s to call with no arguments.", code("()")),
  }
end

function errors.expected_then(if_s, if_e, token_pos)
  return {
    say("Expected %s after if condition.", code("then")),
    annotate(if_s, if_e, "If statement started here."),
    annotate(token_pos, say("Expected %s before here.", code("then"))),
  }
end

function errors.expected_end(block_s, block_e, kind, s, e)
  return {
    say("Unexpected %s. Expected %s or another statement.", name(kind), code("end")),
    annotate(block_s, block_e, "Block started here."),
    annotate(s, e, "Expected end of block here."),
  }
end

function errors.unexpected_end(s, e)
  return {
    say("Unexpected %s.", code("end")),
    annotate(s, e),
    say("Your program contains more %ss than needed. Check each block (%s, %s, %s, ...) only has one %s.",
      code("end"), code("if"), code("for"), code("function"), code("end")),
  }
end

function errors.unclosed_label(open_s, open_e, kind, s, e)
  return {
    say("Unexpected %s.", name(kind)),
    annotate(open_s, open_e, "Label was started here."),
    annotate(s, e, say("Tip: Try adding %s here.", code("::"))),
  }
end

-- Anything else --------------------------------------------------------------

function errors.unexpected_token(kind, s, e)
  return { say("Unexpected %s.", name(kind)), annotate(s, e) }
end

function errors.unclosed_brackets(open_s, open_e, kind, s, e)
  return {
    say("Unexpected %s. Are you missing a closing bracket?", name(kind)),
    annotate(open_s, open_e, "Brackets were opened here."),
    annotate(s, e, say("Unexpected %s here.", name(kind))),
  }
end

function errors.expected_function_args(kind, s, e)
  return {
    say("Unexpected %s. Expected %s to start function arguments.", name(kind), code("(")),
    annotate(s, e),
  }
end

return errors
