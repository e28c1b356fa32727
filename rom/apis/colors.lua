-- colors: CC's colour constants and helpers (built when a program first uses
-- it). Argument checks and results follow CC:Tweaked.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local colors = {
  white = 0x1, orange = 0x2, magenta = 0x4, lightBlue = 0x8,
  yellow = 0x10, lime = 0x20, pink = 0x40, gray = 0x80,
  lightGray = 0x100, cyan = 0x200, purple = 0x400, blue = 0x800,
  brown = 0x1000, green = 0x2000, red = 0x4000, black = 0x8000,
}

-- Bit operations on any number, as CC's bit32 does (the fraction goes).
local function int(n) return math.floor(n) & 0xFFFFFFFF end

function colors.combine(...)
  local r = 0
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    expect(i, c, "number")
    r = r | int(c)
  end
  return r
end

function colors.subtract(set, ...)
  expect(1, set, "number")
  local r = int(set)
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    expect(i + 1, c, "number")
    r = r & ~int(c)
  end
  return r
end

function colors.test(set, colour)
  expect(1, set, "number")
  expect(2, colour, "number")
  return int(set) & int(colour) == int(colour)
end

function colors.packRGB(r, g, b)
  expect(1, r, "number")
  expect(2, g, "number")
  expect(3, b, "number")
  return (int(r * 255) & 0xFF) << 16 | (int(g * 255) & 0xFF) << 8 | (int(b * 255) & 0xFF)
end

function colors.unpackRGB(rgb)
  expect(1, rgb, "number")
  rgb = int(rgb)
  return ((rgb >> 16) & 0xFF) / 255, ((rgb >> 8) & 0xFF) / 255, (rgb & 0xFF) / 255
end

-- Deprecated: packRGB with three arguments, unpackRGB with one.
function colors.rgb8(r, g, b)
  if g == nil and b == nil then return colors.unpackRGB(r) end
  return colors.packRGB(r, g, b)
end

local blit_digits = "0123456789abcdef"
function colors.toBlit(colour)
  expect(1, colour, "number")
  if colour < 1 or colour > 0xffff or colour ~= colour then error("Colour out of range", 2) end
  local i = math.floor(math.log(colour, 2) + 1e-9)
  return blit_digits:sub(i + 1, i + 1)
end

function colors.fromBlit(hex)
  expect(1, hex, "string")
  if #hex ~= 1 then return nil end
  local value = tonumber(hex, 16)
  if not value then return nil end
  return 1 << value
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(colors) do _ENV[k] = v end end
return colors
