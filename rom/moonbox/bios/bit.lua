-- bit: CC's deprecated bit API (signed results, as CC's), for old programs.
local function signed(n)
  n = n & 0xFFFFFFFF
  if n >= 0x80000000 then return n - 0x100000000 end
  return n
end
local bit = {}
function bit.band(a, b) return signed(bit32.band(a, b)) end
function bit.bor(a, b) return signed(bit32.bor(a, b)) end
function bit.bxor(a, b) return signed(bit32.bxor(a, b)) end
function bit.bnot(a) return signed(bit32.bnot(a)) end
function bit.blshift(a, n) return signed(bit32.lshift(a, n)) end
function bit.brshift(a, n) return signed(bit32.arshift(a, n)) end
function bit.blogic_rshift(a, n) return signed(bit32.rshift(a, n)) end
return bit
