--- Splits Lua source into tokens, as CC's cc.internal.syntax.lexer: Lua
-- 5.4's tokens (goto is read as a name, as CC does), comments included, and
-- the C-style operators people type by mistake (&&, ||, !=, !). An error is
-- reported (context.report(message), a message of
-- cc.internal.syntax.errors) and lexing goes on where CC's lexer goes on:
-- an unfinished string is still a string, an unfinished long string or an
-- unknown character an ERROR token. An internal module: its API may change.

local errors = require("cc.internal.syntax.errors")
local tokens = require("cc.internal.syntax.tokens")
local find, sub = string.find, string.sub

local keywords = {}
for word in ([[and break do else elseif end false for function if in local nil not or repeat return
  then true until while]]):gmatch("%a+") do keywords[word] = word:upper() end

-- Symbols that are one character, or the first of a longer one.
local single = {
  [","] = "COMMA", [";"] = "SEMICOLON", ["("] = "OPAREN", [")"] = "CPAREN", ["]"] = "CSQUARE",
  ["{"] = "OBRACE", ["}"] = "CBRACE", ["*"] = "MUL", ["#"] = "LEN", ["%"] = "MOD", ["^"] = "POW",
  ["+"] = "ADD",
}
-- Two-character symbols by their first character, and the token the first
-- character is alone.
local double = {
  ["="] = { ["="] = "EQ", alone = "EQUALS" }, ["~"] = { ["="] = "NE", alone = "BXOR" },
  ["<"] = { ["="] = "LE", ["<"] = "SHL", alone = "LT" }, [">"] = { ["="] = "GE", [">"] = "SHR", alone = "GT" },
  ["/"] = { ["/"] = "IDIV", alone = "DIV" }, [":"] = { [":"] = "DOUBLE_COLON", alone = "COLON" },
}

local lexer = {}

-- Past the newline c at pos (a "\r\n" or "\n\r" pair is one): the next
-- line starts there, which the context is told.
local function newline(context, str, pos, c)
  pos = pos + 1
  local after = sub(str, pos, pos)
  if after ~= c and (after == "\r" or after == "\n") then pos = pos + 1 end
  context.line(pos)
  return pos
end

local function lex_number(context, str, start)
  local pos = start + 1
  local exponent = "[eE]"
  if find(str, "^0[xX]", start) then pos, exponent = start + 2, "[pP]" end
  while true do
    local c = sub(str, pos, pos)
    if find(c, exponent) then
      pos = pos + 1
      if find(str, "^[+-]", pos) then pos = pos + 1 end
    elseif find(c, "^[%x.]") then
      pos = pos + 1
    else
      break
    end
  end
  if not tonumber(sub(str, start, pos - 1)) then context.report(errors.malformed_number(start, pos - 1)) end
  return "NUMBER", pos - 1
end

local function lex_string(context, str, start, quote)
  local pos = start + 1
  while true do
    local c = sub(str, pos, pos)
    if c == quote then return "STRING", pos end
    if c == "\n" or c == "\r" or c == "" then
      context.report(errors.unfinished_string(start, pos, quote))
      return "STRING", pos - 1
    end
    if c == "\\" then
      c = sub(str, pos + 1, pos + 1)
      if c == "\n" or c == "\r" then
        pos = newline(context, str, pos + 1, c)
      elseif c == "" then
        context.report(errors.unfinished_string_escape(start, pos, quote))
        return "STRING", pos
      elseif c == "z" then
        pos = pos + 2
        while true do
          local next_pos, _, ws = find(str, "([%S\r\n])", pos)
          if not next_pos then
            context.report(errors.unfinished_string(start, #str, quote))
            return "STRING", #str
          end
          if ws ~= "\r" and ws ~= "\n" then
            pos = next_pos
            break
          end
          pos = newline(context, str, next_pos, ws)
        end
      else
        pos = pos + 2
      end
    else
      pos = pos + 1
    end
  end
end

-- Past the "="s of a long bracket whose first bracket is before pos: true
-- when `fin` follows them, and the position after the "="s.
local function long_bracket(str, pos, fin)
  local _, last = find(str, "^=*", pos)
  return sub(str, last + 1, last + 1) == fin, last + 1
end

-- The end of a long string or comment whose body starts at pos, closed by a
-- bracket of `len` characters before its last "]" (1 + the "="s); nil when
-- it never closes.
local function lex_long_str(context, str, pos, len)
  while true do
    pos = find(str, "[%[%]\n\r]", pos)
    if not pos then return nil end
    local c = sub(str, pos, pos)
    if c == "]" then
      local ok, boundary = long_bracket(str, pos + 1, "]")
      if ok and boundary - pos == len then return boundary end
      pos = boundary
    elseif c == "[" then
      local ok, boundary = long_bracket(str, pos + 1, "[")
      if ok and boundary - pos == len and len == 1 then context.report(errors.nested_long_str(pos, boundary)) end
      pos = boundary
    else
      pos = newline(context, str, pos, c)
    end
  end
end

-- A character no token starts with, and what follows it up to a space, a
-- letter, a digit or a bracket: the C operators &&, ||, != and ! are named,
-- anything else is an error.
local function lex_unknown(context, str, pos)
  local last = (find(str, "[%s%w(){}%[%]]", pos) or #str + 1) - 1
  local text = sub(str, pos, last)
  if text == "!=" then
    context.report(errors.wrong_ne(pos, last))
    return "NE", last
  elseif text == "!" then
    context.report(errors.wrong_not(pos, last))
    return "NOT", last
  end
  context.report(errors.unexpected_character(pos))
  return "ERROR", last
end

-- The token at pos (not a space): its name, last position and, for a name
-- or keyword, its text.
local function lex_token(context, str, pos)
  local c = sub(str, pos, pos)
  if find(c, "^[%a_]") then
    local _, last = find(str, "^[%w_]+", pos)
    local word = sub(str, pos, last)
    return keywords[word] or "IDENT", last, word
  elseif find(c, "^%d") or (c == "." and find(str, "^%d", pos + 1)) then
    return lex_number(context, str, pos)
  elseif c == '"' or c == "'" then
    return lex_string(context, str, pos, c)
  elseif c == "[" then
    local ok, boundary = long_bracket(str, pos + 1, "[")
    if ok then
      local last = lex_long_str(context, str, boundary + 1, boundary - pos)
      if last then return "STRING", last end
      context.report(errors.unfinished_long_string(pos, boundary, boundary - pos))
      return "ERROR", #str
    elseif boundary == pos + 1 then
      return "OSQUARE", pos
    end
    context.report(errors.malformed_long_string(pos, boundary, boundary - pos))
    return "ERROR", boundary
  elseif c == "-" then
    if sub(str, pos + 1, pos + 1) ~= "-" then return "SUB", pos end
    if sub(str, pos + 2, pos + 2) == "[" then
      local ok, boundary = long_bracket(str, pos + 3, "[")
      if ok then
        local last = lex_long_str(context, str, boundary + 1, boundary - pos - 2)
        if last then return "COMMENT", last end
        context.report(errors.unfinished_long_comment(pos, boundary, boundary - pos - 2))
        return "ERROR", #str
      end
    end
    local _, last = find(str, "^[^\n\r]*", pos + 2)
    return "COMMENT", last
  elseif c == "." then
    if sub(str, pos + 1, pos + 1) ~= "." then return "DOT", pos end
    if sub(str, pos + 2, pos + 2) ~= "." then return "CONCAT", pos + 1 end
    return "DOTS", pos + 2
  elseif c == "&" or c == "|" then
    if sub(str, pos + 1, pos + 1) ~= c then return c == "&" and "BAND" or "BOR", pos end
    context.report(c == "&" and errors.wrong_and(pos, pos + 1) or errors.wrong_or(pos, pos + 1))
    return c == "&" and "AND" or "OR", pos + 1
  elseif double[c] then
    local pair = double[c][sub(str, pos + 1, pos + 1)]
    if pair then return pair, pos + 1 end
    return double[c].alone, pos
  elseif single[c] then
    return single[c], pos
  end
  return lex_unknown(context, str, pos)
end

--- The token of str at pos or after it: its number (cc.internal.syntax.tokens),
-- first and last positions and, for a name or keyword, its text; nothing at
-- the end. As CC's lex_one: context.line(pos) is called where each line
-- starts, context.report(message) for each error.
function lexer.lex_one(context, str, pos)
  while true do
    local start, _, c = find(str, "([%S\r\n])", pos)
    if not start then return nil end
    if c == "\r" or c == "\n" then
      pos = newline(context, str, start, c)
    else
      local name, last, text = lex_token(context, str, start)
      return tokens[name], start, last, text
    end
  end
end

--- A lexer over source for cc.internal.syntax.parser: a function returning
-- the next token's kind (tokens.kinds: "IDENT", "goto", "end", "(", ...) and
-- its first and last positions, skipping comments; "EOF" at the end,
-- forever. The context is lex_one's; its report must not return.
function lexer.new(context, source)
  local pos = 1
  return function()
    while true do
      local id, start, last, text = lexer.lex_one(context, source, pos)
      if not id then return "EOF", #source + 1, #source + 1 end
      pos = last + 1
      local kind = tokens.kinds[id]
      if kind == "IDENT" and text == "goto" then kind = "goto" end
      if kind ~= "COMMENT" then return kind, start, last end
    end
  end
end

return lexer
