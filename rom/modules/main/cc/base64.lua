--- cc.base64: encodes bytes as base64 text and back (RFC 4648), as CC's.
-- Both take an optional alphabet tail: two characters that stand for 62 and
-- 63 instead of "+" and "/" ("-_" gives the URL-safe alphabet).
local expect = require("cc.expect").expect

local base64 = {}

local STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

-- The 64 characters, and a reverse table from byte to value.
local function alphabet(alt_chars)
  if alt_chars == nil then alt_chars = "+/" end
  if #alt_chars ~= 2 then error("alt_chars must be exactly two characters", 3) end
  local chars = STANDARD .. alt_chars
  local values = {}
  for i = 1, 64 do values[chars:byte(i)] = i - 1 end
  return chars, values
end

--- Encodes a string of bytes.
-- @tparam string str The bytes.
-- @tparam[opt] string alt_chars The characters for 62 and 63.
-- @treturn string The base64 text, padded with "=".
function base64.encode(str, alt_chars)
  expect(1, str, "string")
  expect(2, alt_chars, "string", "nil")
  local chars = alphabet(alt_chars)
  local out = {}
  for i = 1, #str, 3 do
    local a, b, c = str:byte(i, i + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    local quad = {
      chars:sub((n >> 18) + 1, (n >> 18) + 1),
      chars:sub(((n >> 12) & 63) + 1, ((n >> 12) & 63) + 1),
      b and chars:sub(((n >> 6) & 63) + 1, ((n >> 6) & 63) + 1) or "=",
      c and chars:sub((n & 63) + 1, (n & 63) + 1) or "=",
    }
    out[#out + 1] = table.concat(quad)
  end
  return table.concat(out)
end

--- Decodes base64 text.
-- @tparam string str The text: a multiple of four characters, with at most
-- two "=" at its end.
-- @tparam[opt] string alt_chars The characters for 62 and 63.
-- @treturn string|nil The bytes, or nil and "input is not valid base64".
function base64.decode(str, alt_chars)
  expect(1, str, "string")
  expect(2, alt_chars, "string", "nil")
  local _, values = alphabet(alt_chars)
  local invalid = "input is not valid base64"
  if #str % 4 ~= 0 then return nil, invalid end
  local padding = #str:match("=*$")
  if padding > 2 then return nil, invalid end
  local out = {}
  for i = 1, #str, 4 do
    local n, count = 0, 0
    for j = i, i + 3 do
      local byte = str:byte(j)
      local value = values[byte]
      if value then
        if j > #str - padding then return nil, invalid end
        n, count = (n << 6) | value, count + 1
      elseif byte == 61 and j > #str - padding then  -- "=" in the padding
        n = n << 6
      else
        return nil, invalid
      end
    end
    local bytes = string.char((n >> 16) & 255, (n >> 8) & 255, n & 255)
    out[#out + 1] = bytes:sub(1, count - 1)
  end
  return table.concat(out)
end

return base64
