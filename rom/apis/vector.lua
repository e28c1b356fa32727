-- vector: CC's 3D vectors.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local vector = {}
local mt = {}
local methods = {}

local function new(x, y, z)
  return setmetatable({x = x or 0, y = y or 0, z = z or 0}, mt)
end

-- Raised on the method's behalf at its line, naming no function: the
-- helper's name would mislead (CC's words: "bad argument #2 (vector
-- expected, got nil)").
local function check_vector(v, n)
  if getmetatable(v) ~= mt then error(("bad argument #%d (vector expected, got %s)"):format(n, type(v)), 3) end
end

function methods.add(self, o)
  check_vector(self, 1); check_vector(o, 2)
  return new(self.x + o.x, self.y + o.y, self.z + o.z)
end
function methods.sub(self, o)
  check_vector(self, 1); check_vector(o, 2)
  return new(self.x - o.x, self.y - o.y, self.z - o.z)
end
function methods.mul(self, m)
  check_vector(self, 1)
  expect(2, m, "number")
  return new(self.x * m, self.y * m, self.z * m)
end
function methods.div(self, m)
  check_vector(self, 1)
  expect(2, m, "number")
  return new(self.x / m, self.y / m, self.z / m)
end
function methods.unm(self)
  check_vector(self, 1)
  return new(-self.x, -self.y, -self.z)
end
function methods.dot(self, o)
  check_vector(self, 1); check_vector(o, 2)
  return self.x * o.x + self.y * o.y + self.z * o.z
end
function methods.cross(self, o)
  check_vector(self, 1); check_vector(o, 2)
  return new(self.y * o.z - self.z * o.y, self.z * o.x - self.x * o.z, self.x * o.y - self.y * o.x)
end
function methods.length(self)
  check_vector(self, 1)
  return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)
end
function methods.normalize(self)
  check_vector(self, 1)
  return self:mul(1 / self:length())
end
function methods.round(self, tolerance)
  check_vector(self, 1)
  expect(2, tolerance, "number", "nil")
  tolerance = tolerance or 1.0
  return new(math.floor((self.x + tolerance * 0.5) / tolerance) * tolerance,
             math.floor((self.y + tolerance * 0.5) / tolerance) * tolerance,
             math.floor((self.z + tolerance * 0.5) / tolerance) * tolerance)
end
function methods.tostring(self)
  check_vector(self, 1)
  local function n(v) return (math.type(v) == "float" and v == math.floor(v)) and string.format("%d", v) or tostring(v) end
  return n(self.x) .. "," .. n(self.y) .. "," .. n(self.z)
end
function methods.equals(self, o)
  check_vector(self, 1); check_vector(o, 2)
  return self.x == o.x and self.y == o.y and self.z == o.z
end

mt.__index = methods
mt.__add = methods.add
mt.__sub = methods.sub
mt.__mul = function(a, b)
  if type(a) == "number" then return methods.mul(b, a) end
  return methods.mul(a, b)
end
mt.__div = methods.div
mt.__unm = methods.unm
mt.__tostring = methods.tostring
mt.__eq = methods.equals
mt.__name = "vector"

function vector.new(x, y, z)
  expect(1, x, "number", "nil")
  expect(2, y, "number", "nil")
  expect(3, z, "number", "nil")
  return new(x, y, z)
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(vector) do _ENV[k] = v end end
return vector
