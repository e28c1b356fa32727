--- The tokens of cc.internal.syntax: `tokens.NAME` is a token's number (as
-- CC's cc.internal.syntax.parser.tokens, in the same names), and
-- `tokens.kinds[number]` what the parser calls it: the keyword or symbol
-- itself, or "IDENT", "NUMBER", "STRING", "EOF". COMMENT and ERROR come
-- last, as CC's lexer's callers expect. An internal module: its API may
-- change.

local tokens = { kinds = {} }

local list = {
  "AND", "and", "BREAK", "break", "DO", "do", "ELSE", "else", "ELSEIF", "elseif", "END", "end",
  "FALSE", "false", "FOR", "for", "FUNCTION", "function", "IF", "if", "IN", "in", "LOCAL", "local",
  "NIL", "nil", "NOT", "not", "OR", "or", "REPEAT", "repeat", "RETURN", "return", "THEN", "then",
  "TRUE", "true", "UNTIL", "until", "WHILE", "while",
  "IDENT", "IDENT", "NUMBER", "NUMBER", "STRING", "STRING", "EOF", "EOF",
  "ADD", "+", "SUB", "-", "MUL", "*", "DIV", "/", "IDIV", "//", "MOD", "%", "POW", "^", "LEN", "#",
  "BAND", "&", "BOR", "|", "BXOR", "~", "SHL", "<<", "SHR", ">>", "CONCAT", "..", "DOTS", "...",
  "EQ", "==", "NE", "~=", "LE", "<=", "GE", ">=", "LT", "<", "GT", ">", "EQUALS", "=",
  "OPAREN", "(", "CPAREN", ")", "OBRACE", "{", "CBRACE", "}", "OSQUARE", "[", "CSQUARE", "]",
  "SEMICOLON", ";", "COLON", ":", "DOUBLE_COLON", "::", "COMMA", ",", "DOT", ".",
  "COMMENT", "COMMENT", "ERROR", "ERROR",
}
for i = 1, #list, 2 do
  local id = (i + 1) // 2
  tokens[list[i]] = id
  tokens.kinds[id] = list[i + 1]
end

return tokens
