--- A recursive-descent parser for Lua 5.4 whose only output is a good
-- message for the first syntax error, in the words of CC's parser
-- (cc.internal.syntax.errors). It builds no tree: it only follows the
-- grammar far enough to know what was expected where. An internal module:
-- its API may change.

local lexer = require("cc.internal.syntax.lexer")
local errors = require("cc.internal.syntax.errors")

local parser = {}

-- Binary operators: left and right priority, as in Lua's own parser
-- (a right priority below the left one makes the operator right-associative).
local binary = {
  ["or"] = {1, 1}, ["and"] = {2, 2},
  ["<"] = {3, 3}, [">"] = {3, 3}, ["<="] = {3, 3}, [">="] = {3, 3}, ["~="] = {3, 3}, ["=="] = {3, 3},
  ["|"] = {4, 4}, ["~"] = {5, 5}, ["&"] = {6, 6}, ["<<"] = {7, 7}, [">>"] = {7, 7},
  [".."] = {9, 8}, ["+"] = {10, 10}, ["-"] = {10, 10},
  ["*"] = {11, 11}, ["/"] = {11, 11}, ["//"] = {11, 11}, ["%"] = {11, 11},
  ["^"] = {14, 13},
}
local unary = { ["not"] = true, ["-"] = true, ["#"] = true, ["~"] = true }
local unary_priority = 12

-- Tokens that may begin an expression.
local starts_expression = {
  IDENT = true, NUMBER = true, STRING = true, ["nil"] = true, ["true"] = true, ["false"] = true,
  ["..."] = true, ["{"] = true, ["function"] = true, ["("] = true,
  ["not"] = true, ["-"] = true, ["#"] = true, ["~"] = true,
}
-- Tokens that end a block.
local block_follow = { EOF = true, ["end"] = true, ["else"] = true, ["elseif"] = true, ["until"] = true }

local tokens = require("cc.internal.syntax.tokens")

-- CC's names for the tokens and the start symbols (see parser.parse).
parser.tokens = tokens
parser.program, parser.repl_exprs = "program", "exprs"

-- Runs the grammar over the tokens of `reader`: {next_token = function ->
-- kind, first, last; mode = "program" or "exprs"; fail = function(message)
-- that does not return; newline_between = function(a, b): whether a line
-- ends between positions a and b}. Sets reader.taken, the tokens taken.
local function run(reader)
  local next_token, fail = reader.next_token, reader.fail
  local kind, s, e  -- the current token
  local last_e = 0  -- the last position of the token before this one
  reader.taken = 0

  local function advance()
    last_e = e
    kind, s, e = next_token()
    reader.taken = reader.taken + 1
  end

  local function accept(k)
    if kind ~= k then return false end
    advance()
    return true
  end

  -- The current token must be `k`; otherwise the error `otherwise()` makes.
  local function expect(k, otherwise)
    if kind == k then return advance() end
    fail(otherwise and otherwise() or errors.unexpected_token(kind, s, e))
  end

  -- Whether a line ends between the token before this one and this one.
  local function new_line_before() return kind == "EOF" or reader.newline_between(last_e + 1, s) end

  local function name()
    expect("IDENT", function() return errors.expected_var(kind, s, e) end)
  end

  local expr, block

  -- A block opened by a keyword at [open_s, open_e], then `close`.
  local function closed_block(open_s, open_e, close)
    block(open_s, open_e)
    expect(close or "end", function()
      if close ~= "until" then return errors.expected_end(open_s, open_e, kind, s, e) end
      if kind == "end" then return errors.unexpected_end(s, e) end
      return errors.unexpected_token(kind, s, e)
    end)
  end

  -- After a condition: `=` where `==` was meant.
  local function after_condition(k, otherwise)
    expect(k, function()
      if kind == "=" then return errors.use_double_equals(s, e) end
      return otherwise and otherwise() or errors.unexpected_token(kind, s, e)
    end)
  end

  -- Parameters and body; the block began at [fn_s, fn_e] ("function", or
  -- "local function").
  local function funcbody(fn_s, fn_e)
    local open_s, open_e = s, e
    expect("(", function() return errors.expected_function_args(kind, s, e) end)
    if kind ~= ")" and kind ~= "IDENT" and kind ~= "..." then
      fail(errors.unclosed_brackets(open_s, open_e, kind, s, e))
    end
    if kind ~= ")" then
      repeat
        if not accept("...") then name() end
      until kind == ")" or not accept(",")
    end
    expect(")", function() return errors.unclosed_brackets(open_s, open_e, kind, s, e) end)
    closed_block(fn_s, fn_e)
  end

  -- Arguments of a call, after the callee: a string, a table or a list.
  local function call_args()
    if kind == "STRING" then return advance() end
    if kind == "{" then return expr() end
    local open_s, open_e = s, e
    advance()
    if accept(")") then return end
    if not starts_expression[kind] then fail(errors.unclosed_brackets(open_s, open_e, kind, s, e)) end
    while true do
      expr()
      if kind == ")" then return advance() end
      if kind ~= "," then
        if kind == "=" then fail(errors.use_double_equals(s, e)) end
        fail(errors.unclosed_brackets(open_s, open_e, kind, s, e))
      end
      local comma_s, comma_e = s, e
      advance()
      if kind == ")" then fail(errors.trailing_call_comma(comma_s, comma_e, s, e)) end
    end
  end

  -- An expression in the brackets opened by the current token, then the
  -- closing one (`=` inside parentheses is taken for a comparison).
  local function bracketed(close)
    local open_s, open_e = s, e
    advance()
    expr()
    if kind ~= close then
      if kind == "=" and close == ")" then fail(errors.use_double_equals(s, e)) end
      fail(errors.unclosed_brackets(open_s, open_e, kind, s, e))
    end
    advance()
  end

  -- A name, a parenthesised expression, and what follows it (fields,
  -- indexes, calls). Returns "call", "var" (may be assigned to) or "value".
  -- `otherwise` makes the error for a token that begins none of them.
  local function suffixed(otherwise)
    local what
    if kind == "IDENT" then
      advance()
      what = "var"
    elseif kind == "(" then
      bracketed(")")
      what = "value"
    else
      fail(otherwise())
    end
    while true do
      if kind == "." then
        advance()
        expect("IDENT")
        what = "var"
      elseif kind == "[" then
        bracketed("]")
        what = "var"
      elseif kind == ":" then
        advance()
        expect("IDENT")
        if kind ~= "(" and kind ~= "STRING" and kind ~= "{" then fail(errors.unexpected_token(kind, s, e)) end
        call_args()
        what = "call"
      elseif kind == "(" or kind == "STRING" or kind == "{" then
        call_args()
        what = "call"
      else
        return what
      end
    end
  end

  -- Tokens that may begin a table entry.
  local function starts_entry(k) return starts_expression[k] or k == "[" end

  local function table_constructor()
    local open_s, open_e = s, e
    advance()
    while kind ~= "}" do
      if not starts_entry(kind) then fail(errors.unclosed_brackets(open_s, open_e, kind, s, e)) end
      local keyed = kind == "["
      if keyed then
        bracketed("]")
        expect("=")
        expr()
      else
        local single_name = expr()
        if kind == "=" then
          if not single_name then fail(errors.table_key_equals(s, e)) end
          keyed = true
          advance()
          expr()
        end
      end
      if not accept(",") and not accept(";") and kind ~= "}" then
        -- `=` after a key's value is a comparison that lost an `=`
        if kind == "=" then fail(keyed and errors.use_double_equals(s, e) or errors.table_key_equals(s, e)) end
        if starts_entry(kind) then fail(errors.missing_table_comma(kind, s, e, last_e)) end
        fail(errors.unclosed_brackets(open_s, open_e, kind, s, e))
      end
    end
    advance()
  end

  local function simple()
    if kind == "NUMBER" or kind == "STRING" or kind == "nil" or kind == "true" or kind == "false"
      or kind == "..." then
      advance()
    elseif kind == "{" then
      table_constructor()
    elseif kind == "function" then
      local fn_s, fn_e = s, e
      advance()
      funcbody(fn_s, fn_e)
    else
      suffixed(function() return errors.expected_expression(kind, s, e) end)
    end
  end

  -- An expression whose operators bind tighter than `limit`. Returns true
  -- when it was a single name (a table field's key).
  function expr(limit)
    limit = limit or 0
    local single_name = kind == "IDENT"
    local first = reader.taken
    if unary[kind] then
      advance()
      expr(unary_priority)
    else
      simple()
    end
    while binary[kind] and binary[kind][1] > limit do
      local right = binary[kind][2]
      advance()
      expr(right)
    end
    return single_name and reader.taken == first + 1
  end

  local function exprlist()
    expr()
    while accept(",") do expr() end
  end

  -- Statements ---------------------------------------------------------------

  local function if_statement()
    local if_s, if_e = s, e
    advance()
    expr()
    after_condition("then", function() return errors.expected_then(if_s, if_e, s) end)
    -- A missing `end` is shown against the if, elseif or else that began the
    -- last branch.
    local branch_s, branch_e = if_s, if_e
    block(branch_s, branch_e)
    while kind == "elseif" do
      branch_s, branch_e = s, e
      advance()
      expr()
      after_condition("then", function() return errors.expected_then(branch_s, branch_e, s) end)
      block(branch_s, branch_e)
    end
    if kind == "else" then
      branch_s, branch_e = s, e
      advance()
      block(branch_s, branch_e)
    end
    expect("end", function() return errors.expected_end(branch_s, branch_e, kind, s, e) end)
  end

  local function for_statement()
    local for_s, for_e = s, e
    advance()
    name()
    if accept("=") then
      expr()
      expect(",")
      expr()
      if accept(",") then expr() end
    else
      while accept(",") do name() end
      expect("in")
      exprlist()
    end
    expect("do")
    closed_block(for_s, for_e)
  end

  local function local_statement()
    local local_s, local_e = s, e
    advance()
    if kind == "function" then
      local fn_e = e
      advance()
      name()
      if kind == "." or kind == ":" then fail(errors.local_function_dot(local_s, local_e, s, e)) end
      return funcbody(local_s, fn_e)
    end
    repeat
      name()
      if accept("<") then
        name()
        expect(">")
      end
    until not accept(",")
    if accept("=") then exprlist() end
  end

  local function expression_statement(open_s, open_e)
    local what = suffixed(function()
      if open_s then return errors.expected_end(open_s, open_e, kind, s, e) end
      return errors.expected_statement(kind, s, e)
    end)
    if kind == "=" or kind == "," then
      if what ~= "var" then fail(errors.unexpected_token(kind, s, e)) end
      while accept(",") do
        if suffixed(function() return errors.expected_var(kind, s, e) end) ~= "var" then
          fail(errors.unexpected_token(kind, s, e))
        end
        if kind ~= "=" and kind ~= "," then fail(errors.standalone_names(kind, s)) end
      end
      expect("=")
      return exprlist()
    end
    if what == "call" then return end
    if new_line_before() then fail(errors.standalone_name_call(kind, last_e)) end
    if what == "value" then fail(errors.unexpected_token(kind, s, e)) end  -- (a) b
    fail(errors.standalone_name(kind, s))
  end

  local function statement(open_s, open_e)
    if kind == ";" or kind == "break" then
      advance()
    elseif kind == "if" then
      if_statement()
    elseif kind == "while" then
      local while_s, while_e = s, e
      advance()
      expr()
      after_condition("do")
      closed_block(while_s, while_e)
    elseif kind == "do" then
      local do_s, do_e = s, e
      advance()
      closed_block(do_s, do_e)
    elseif kind == "for" then
      for_statement()
    elseif kind == "repeat" then
      local repeat_s, repeat_e = s, e
      advance()
      closed_block(repeat_s, repeat_e, "until")
      expr()
      if kind == "=" then fail(errors.use_double_equals(s, e)) end
    elseif kind == "function" then
      local fn_s, fn_e = s, e
      advance()
      name()
      while accept(".") do expect("IDENT") end
      if accept(":") then expect("IDENT") end
      funcbody(fn_s, fn_e)
    elseif kind == "local" then
      local_statement()
    elseif kind == "::" then
      local open_s, open_e = s, e
      advance()
      expect("IDENT")
      expect("::", function() return errors.unclosed_label(open_s, open_e, kind, s, e) end)
    elseif kind == "goto" then
      -- (CC reads goto as a name: a goto without a label is a name standing alone)
      advance()
      if kind ~= "IDENT" then fail(errors.standalone_name(kind, s)) end
      advance()
    else
      expression_statement(open_s, open_e)
    end
  end

  -- Statements up to the end of a block (opened at [open_s, open_e], or the
  -- whole program when open_s is nil).
  function block(open_s, open_e)
    while not block_follow[kind] do
      if kind == "return" then
        advance()
        if starts_expression[kind] then exprlist() end
        accept(";")
        if not block_follow[kind] then
          if open_s then fail(errors.expected_end(open_s, open_e, kind, s, e)) end
          fail(errors.expected_statement(kind, s, e))
        end
        return
      end
      statement(open_s, open_e)
    end
  end

  kind, s, e = next_token()
  if reader.mode == "exprs" then
    exprlist()
    expect("EOF")
  else
    block()
    if kind == "end" then fail(errors.unexpected_end(s, e)) end
    expect("EOF", function() return errors.expected_statement(kind, s, e) end)
  end
end

local failure = {}  -- the tag of the error a failed parse raises

-- The context of a parse of source (cc.internal.syntax.lexer's, and what
-- cc.internal.error_printer reads): where each line starts, as the lexer
-- finds them, and the positions and lines of the source.
local function make_context(source, report)
  local starts = { 1 }
  local context = { report = report }
  function context.line(pos) starts[#starts + 1] = pos end
  -- The line and column of pos, and where that line starts.
  function context.get_pos(pos)
    for i = #starts, 1, -1 do
      if pos >= starts[i] then return i, pos - starts[i] + 1, starts[i] end
    end
  end
  function context.get_line(pos) return source:match("[^\r\n]*", select(3, context.get_pos(pos))) end
  return context
end

-- Whether a line ends between positions a and b (as the context knows them).
local function newline_between(context, a, b) return context.get_pos(a) ~= context.get_pos(b) end

--- Parses source as a program (mode "program") or as a list of
-- expressions, the REPL's other reading (mode "exprs"). Returns true (no
-- error found), or false, the error and its context (for
-- cc.internal.error_printer) and how many tokens were taken before it (how
-- far the parse got).
--
-- Also called as CC's parser is, parse(context, get_token, start): tokens
-- come from get_token() (number, first, last, as cc.internal.syntax.lexer's
-- lex_one gives them), the first error goes to context.report(message), and
-- start is parser.program or parser.repl_exprs.
function parser.parse(source, mode, start)
  local reader = { mode = mode }
  if type(source) == "table" then
    local context, get_token, stopped = source, mode, {}
    reader.mode = start or parser.program
    reader.next_token = function()
      local id, first, last = get_token()
      return tokens.kinds[id], first, last
    end
    reader.fail = function(message)
      context.report(message)
      error(stopped, 0)
    end
    reader.newline_between = function(a, b) return newline_between(context, a, b) end
    local ok, err = pcall(run, reader)
    if not ok and err ~= stopped then error(err, 0) end
    return
  end
  reader.fail = function(message) error({ tag = failure, message = message, taken = reader.taken }, 0) end
  local context = make_context(source, reader.fail)
  reader.next_token = lexer.new(context, source)
  reader.newline_between = function(a, b) return newline_between(context, a, b) end
  local _, err = pcall(run, reader)
  if type(err) == "table" and err.tag == failure then return false, err.message, context, err.taken end
  -- Parsed, or the parser itself gave up (nesting deeper than its Lua stack,
  -- memory): nothing to say beyond the compiler's message.
  return true
end

return parser
