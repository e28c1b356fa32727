-- keys: CC:Tweaked's key codes (GLFW's numbering) and keys.getName.
local keys = {
  space = 32, apostrophe = 39, comma = 44, minus = 45, period = 46, slash = 47,
  semicolon = 59, equals = 61, leftBracket = 91, backslash = 92, rightBracket = 93, grave = 96,
  enter = 257, tab = 258, backspace = 259, insert = 260, delete = 261,
  right = 262, left = 263, down = 264, up = 265, pageUp = 266, pageDown = 267,
  home = 268, ["end"] = 269, capsLock = 280, scrollLock = 281, numLock = 282,
  printScreen = 283, pause = 284,
  numPadDecimal = 330, numPadDivide = 331, numPadMultiply = 332, numPadSubtract = 333,
  numPadAdd = 334, numPadEnter = 335, numPadEqual = 336,
  leftShift = 340, leftCtrl = 341, leftAlt = 342, leftSuper = 343,
  rightShift = 344, rightCtrl = 345, rightAlt = 346, rightSuper = 347, menu = 348,
}
local digit_names = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
for i = 0, 9 do keys[digit_names[i + 1]] = 48 + i; keys["numPad" .. i] = 320 + i end
for c = string.byte("a"), string.byte("z") do keys[string.char(c)] = c - 32 end
for i = 1, 25 do keys["f" .. i] = 289 + i end
keys["return"] = keys.enter
function keys.getName(code)
  require("cc.expect").expect(1, code, "number")
  for name, value in pairs(keys) do
    if value == code and type(value) == "number" and name ~= "return" then return name end
  end
  return nil
end
-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(keys) do _ENV[k] = v end end
return keys
