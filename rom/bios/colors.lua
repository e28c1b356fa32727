-- colors: CC's colour constants and helpers (built when a program first uses it).
local colors = {
  white = 0x1, orange = 0x2, magenta = 0x4, lightBlue = 0x8,
  yellow = 0x10, lime = 0x20, pink = 0x40, gray = 0x80,
  lightGray = 0x100, cyan = 0x200, purple = 0x400, blue = 0x800,
  brown = 0x1000, green = 0x2000, red = 0x4000, black = 0x8000,
}

function colors.combine(...)
  local r = 0
  for i = 1, select("#", ...) do r = r | select(i, ...) end
  return r
end

function colors.subtract(set, ...)
  for i = 1, select("#", ...) do set = set & ~select(i, ...) end
  return set
end

function colors.test(set, colour) return set & colour == colour end

function colors.packRGB(r, g, b)
  return (math.floor(r * 255) << 16) | (math.floor(g * 255) << 8) | math.floor(b * 255)
end

function colors.unpackRGB(rgb)
  return ((rgb >> 16) & 0xFF) / 255, ((rgb >> 8) & 0xFF) / 255, (rgb & 0xFF) / 255
end

local blit_digits = "0123456789abcdef"
function colors.toBlit(colour)
  for i = 0, 15 do
    if colour == 1 << i then return blit_digits:sub(i + 1, i + 1) end
  end
  error("bad argument #1 to 'toBlit' (invalid colour)", 2)
end

function colors.fromBlit(hex)
  local i = blit_digits:find(hex:lower(), 1, true)
  return i and #hex == 1 and 1 << (i - 1) or nil
end

return colors
