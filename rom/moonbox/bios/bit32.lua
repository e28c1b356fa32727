-- bit32: Lua 5.2's bit library, kept for old programs (32-bit unsigned).
local expect = require("cc.expect").expect

local bit32 = {}
local M = 0xFFFFFFFF

local function u(n, i)
  expect(i, n, "number")
  return math.floor(n) & M
end

local function fold(op, init)
  return function(...)
    local r = init
    for i = 1, select("#", ...) do r = op(r, u(select(i, ...), i)) end
    return r
  end
end

bit32.band = fold(function(a, b) return a & b end, M)
bit32.bor = fold(function(a, b) return a | b end, 0)
bit32.bxor = fold(function(a, b) return a ~ b end, 0)
function bit32.btest(...) return bit32.band(...) ~= 0 end
function bit32.bnot(x) return ~u(x, 1) & M end

function bit32.lshift(x, n)
  x, n = u(x, 1), math.floor(n)
  if n <= -32 or n >= 32 then return 0 end
  if n < 0 then return x >> -n end
  return (x << n) & M
end

function bit32.rshift(x, n)
  x, n = u(x, 1), math.floor(n)
  if n <= -32 or n >= 32 then return 0 end
  if n < 0 then return (x << -n) & M end
  return x >> n
end

function bit32.arshift(x, n)
  x, n = u(x, 1), math.floor(n)
  if n < 0 then return bit32.lshift(x, -n) end
  if x & 0x80000000 == 0 then return bit32.rshift(x, n) end
  if n >= 32 then return M end
  return ((x >> n) | (M << (32 - n))) & M
end

function bit32.lrotate(x, n)
  x, n = u(x, 1), math.floor(n) % 32
  return ((x << n) | (x >> (32 - n))) & M
end

function bit32.rrotate(x, n) return bit32.lrotate(x, -math.floor(n)) end

function bit32.extract(x, field, width)
  x = u(x, 1)
  width = width or 1
  if field < 0 or width <= 0 or field + width > 32 then error("trying to access non-existent bits", 2) end
  return (x >> field) & ((1 << width) - 1)
end

function bit32.replace(x, v, field, width)
  x, v = u(x, 1), u(v, 2)
  width = width or 1
  if field < 0 or width <= 0 or field + width > 32 then error("trying to access non-existent bits", 2) end
  local mask = ((1 << width) - 1) << field
  return (x & ~mask | ((v << field) & mask)) & M
end

return bit32
