--- Splits Lua source into tokens for cc.internal.syntax.parser, as CC's
-- cc.internal.syntax.lexer: Lua 5.4's tokens, and the C-style operators
-- people type by mistake (&&, ||, !=, !), which are reported. A token is
-- its kind ("IDENT", "NUMBER", "STRING", "EOF", or the keyword or symbol
-- itself) and its first and last positions; comments are skipped. An
-- internal module: its API may change.

local errors = require("cc.internal.syntax.errors")
local find, sub = string.find, string.sub

local keywords = {}
for word in ([[and break do else elseif end false for function goto if in local nil not or repeat
  return then true until while]]):gmatch("%a+") do keywords[word] = true end

-- Symbols by length, longest first: the lexer takes the longest that fits.
local symbols = {
  { ["..."] = true },
  { ["=="] = true, ["~="] = true, ["<="] = true, [">="] = true, ["//"] = true, ["::"] = true,
    ["<<"] = true, [">>"] = true, [".."] = true },
  {},
}
for c in ("+-*/%^#&~|<>=(){}[];:,."):gmatch(".") do symbols[3][c] = true end

local lexer = {}

--- A lexer over source: a function returning the next token (kind, first,
-- last position; "EOF" at the end, forever). fail(message) is called with
-- an error from cc.internal.syntax.errors, and must not return.
function lexer.new(source, fail)
  local pos = 1

  -- The last position of the long bracket `[==[` ... `]==]` whose body
  -- starts at `from`, or nil when it is never closed.
  local function long_bracket_end(from, level)
    local _, last = find(source, "]" .. ("="):rep(level) .. "]", from, true)
    return last
  end

  -- The level of a long bracket opening at `at` ("[", then "=" * level,
  -- then "["), or nil; and the position after its "="s.
  local function long_bracket_level(at)
    local _, last = find(source, "^%[=*", at)
    if sub(source, last + 1, last + 1) == "[" then return last - at, last + 1 end
    return nil, last + 1
  end

  local function lex_string(start, quote)
    local at = start + 1
    while true do
      local c = sub(source, at, at)
      if c == quote then return "STRING", at end
      if c == "\n" or c == "\r" or c == "" then fail(errors.unfinished_string(start, at, quote)) end
      if c == "\\" then
        local escaped = sub(source, at + 1, at + 1)
        if escaped == "" then fail(errors.unfinished_string_escape(start, at, quote)) end
        if escaped == "z" then
          at = find(source, "[^%s]", at + 2)
          -- (spaces up to the end: CC marks the source's last character)
          if not at then fail(errors.unfinished_string(start, #source, quote)) end
        elseif escaped == "\r" or escaped == "\n" then
          at = at + 2
          local after = sub(source, at, at)
          if (after == "\r" or after == "\n") and after ~= escaped then at = at + 1 end
        else
          at = at + 2
        end
      else
        at = at + 1
      end
    end
  end

  local function lex_number(start)
    local at = start
    local exponent = "[eE]"
    if find(source, "^0[xX]", start) then at, exponent = start + 2, "[pP]" end
    while true do
      local c = sub(source, at, at)
      if find(c, exponent) then
        at = at + 1
        if find(source, "^[+-]", at) then at = at + 1 end
      elseif find(c, "^[%x.]") then
        at = at + 1
      else
        break
      end
    end
    -- A letter touching the number makes it malformed, as in Lua's lexer.
    if find(source, "^[%a_]", at) then fail(errors.malformed_number(start, at)) end
    if not tonumber(sub(source, start, at - 1)) then fail(errors.malformed_number(start, at - 1)) end
    return "NUMBER", at - 1
  end

  -- A symbol or operator starting at `start`.
  local function lex_symbol(start)
    for len = 3, 1, -1 do
      local text = sub(source, start, start + len - 1)
      if symbols[4 - len][text] then
        if text == "&" and sub(source, start + 1, start + 1) == "&" then fail(errors.wrong_and(start, start + 1)) end
        if text == "|" and sub(source, start + 1, start + 1) == "|" then fail(errors.wrong_or(start, start + 1)) end
        if text == "<" and sub(source, start + 1, start + 1) == ">" then fail(errors.wrong_ne(start, start + 1)) end
        return text, start + len - 1
      end
    end
    if sub(source, start, start + 1) == "!=" then fail(errors.wrong_ne(start, start + 1)) end
    if sub(source, start, start) == "!" then fail(errors.wrong_not(start, start)) end
    fail(errors.unexpected_character(start))
  end

  -- The token at `start` (not a space): its kind and last position, or
  -- "COMMENT".
  local function lex_token(start)
    local c = sub(source, start, start)
    if find(c, "^[%a_]") then
      local _, last = find(source, "^[%w_]+", start)
      local word = sub(source, start, last)
      return keywords[word] and word or "IDENT", last
    elseif find(c, "^%d") or (c == "." and find(source, "^%d", start + 1)) then
      return lex_number(start)
    elseif c == '"' or c == "'" then
      return lex_string(start, c)
    elseif c == "[" then
      local level, after = long_bracket_level(start)
      if level then
        local last = long_bracket_end(after + 1, level)
        if not last then fail(errors.unfinished_long_string(start, after, level + 1)) end
        return "STRING", last
      elseif after > start + 1 then
        fail(errors.malformed_long_string(start, after, after - start))
      end
      return "[", start
    elseif c == "-" and sub(source, start + 1, start + 1) == "-" then
      if sub(source, start + 2, start + 2) == "[" then
        local level, after = long_bracket_level(start + 2)
        if level then
          local last = long_bracket_end(after + 1, level)
          if not last then fail(errors.unfinished_long_comment(start, after, level + 1)) end
          return "COMMENT", last
        end
      end
      local _, last = find(source, "^[^\r\n]*", start)
      return "COMMENT", last
    end
    return lex_symbol(start)
  end

  return function()
    while true do
      local start = find(source, "%S", pos)
      if not start then
        pos = #source + 1
        return "EOF", pos, pos
      end
      local kind, last = lex_token(start)
      pos = last + 1
      if kind ~= "COMMENT" then return kind, start, last end
    end
  end
end

return lexer
