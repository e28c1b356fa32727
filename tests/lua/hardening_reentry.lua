-- Re-entry (issue 21, findings 2 and 3): a metamethod run while a binding
-- converts its arguments removes, replaces or closes the very object the
-- binding is using. Each of these crashed the host (use after free, fwrite
-- on a closed FILE); now each is a Lua error in this process alone.
-- expect-out: reentry ok
local check = require("lib.check")

local function remover(name, result, replacement)
  return function()
    periphemu.remove(name)
    if replacement then periphemu.create(name, replacement) end
    return result
  end
end

-- speaker.playAudio: __len removes the speaker (through wrap, and through call)
assert(periphemu.create("bottom", "speaker"))
local speaker = peripheral.wrap("bottom")
check.raises("No peripheral attached", speaker.playAudio, setmetatable({0, 0, 0}, {__len = remover("bottom", 3)}))
assert(periphemu.create("bottom", "speaker"))
check.raises("No peripheral attached", peripheral.call, "bottom", "playAudio",
  setmetatable({0, 0, 0}, {__len = remover("bottom", 3, "monitor")}))
check.eq(peripheral.getType("bottom"), "monitor", "the replacement is attached")
periphemu.remove("bottom")

-- monitor.write: __tostring removes the monitor, or replaces it by a printer
assert(periphemu.create("top", "monitor"))
local monitor = peripheral.wrap("top")
check.raises("No peripheral attached", monitor.write, setmetatable({}, {__tostring = remover("top", "x")}))
assert(periphemu.create("top", "monitor"))
check.raises("No peripheral attached", peripheral.call, "top", "write",
  setmetatable({}, {__tostring = remover("top", "x", "printer")}))
check.eq(peripheral.getType("top"), "printer")
-- a monitor replaced by another monitor: the call was begun on the old one
periphemu.remove("top")
assert(periphemu.create("top", "monitor"))
check.raises("No peripheral attached", peripheral.call, "top", "write",
  setmetatable({}, {__tostring = remover("top", "x", "monitor")}))
peripheral.call("top", "write", "fine")  -- the new one works
check.eq(select(1, peripheral.call("top", "getCursorPos")), 5)

-- a message is read raw (no metamethod runs), so a modem cannot be removed
-- while transmit reads it
assert(periphemu.create("left", "modem"))
peripheral.call("left", "transmit", 1, 1, setmetatable({}, {__index = remover("left")}))
check.eq(peripheral.isPresent("left"), true)
periphemu.remove("left")
-- nothing attached: CC's peripheral.call answers nil
check.eq(peripheral.call("left", "isOpen", 1), nil)

-- fs handles: __tostring closes the handle being written
for _, mode in ipairs({"w", "wb", "a", "r+", "w+"}) do
  if mode == "r+" then local f = fs.open("/f", "w") f.close() end
  local h = fs.open("/f", mode)
  check.raises("attempt to use a closed file", h.write, setmetatable({}, {__tostring = function() h.close() return "x" end}))
  h = fs.open("/f", mode)
  check.raises("attempt to use a closed file", h.writeLine, setmetatable({}, {__tostring = function() h.close() return "x" end}))
end
-- io checks its values' types as CC's does (no __tostring runs); its fs
-- handle closed underneath it is refused, not written
local f = io.open("/g", "w")
check.raises("bad argument #1 (string or number expected, got table)", f.write, f, setmetatable({}, {__tostring = function() return "x" end}))
f._handle.close()
check.raises("attempt to use a closed file", f.write, f, "x")

-- the handle's other methods look it up after their arguments
local h = fs.open("/f", "w+")
h.write("hello")
check.eq(h.seek("set", 0), 0)
check.eq(h.read(5), "hello")
h.close()
check.raises("attempt to use a closed file", h.read, 1)
print("reentry ok")
