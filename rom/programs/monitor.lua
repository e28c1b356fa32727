-- monitor <name> [scale] <program> [args...]: runs a program with its output
-- on a monitor, as CC's monitor program. The program is a child process on
-- the monitor's screen (a terminal of the kernel's); this process passes it
-- the keyboard, and turns touches of that monitor into mouse clicks.
local terminal = require("system.terminal")
local native = require("system.peripheral")
local process = require("system.process")

local args = {...}
if #args < 2 or (args[1] == "scale" and #args < 3) then
  print("Usage:")
  print("  monitor <name> <program> <arguments>")
  print("  monitor scale <name> <scale>")
  return
end

if args[1] == "scale" then
  local name, scale = args[2], tonumber(args[3])
  if peripheral.getType(name) ~= "monitor" then
    print("No monitor named " .. tostring(name))
    return
  end
  if not scale then
    print("Invalid scale: " .. tostring(args[3]))
    return
  end
  local ok, err = pcall(peripheral.call, name, "setTextScale", scale)
  if not ok then printError(err) end
  return
end

local name = args[1]
if peripheral.getType(name) ~= "monitor" then
  print("No monitor named " .. name)
  return
end
local program = shell.resolveProgram(args[2])
if not program then
  print("No such program")
  return
end

native.show(name)  -- its window, if it was closed, opens again
local id = native.getTerminal(name)
local pid, err = terminal.start(id, "/" .. program, table.unpack(args, 3))
if not pid then
  printError(err)
  return
end
terminal.setFocus(id)

local input = {char = true, key = true, key_up = true, paste = true, terminate = true}
while true do
  local event = table.pack(os.pullEventRaw())
  local what = event[1]
  if input[what] then
    terminal.queueEvent(id, table.unpack(event, 1, event.n))
  elseif what == "monitor_touch" and event[2] == name then
    terminal.queueEvent(id, "mouse_click", 1, event[3], event[4])
    terminal.queueEvent(id, "mouse_up", 1, event[3], event[4])
  elseif what == "process_complete" and type(event[2]) == "table" and event[2].id == pid then
    break
  elseif what == "peripheral_detach" and event[2] == name then
    break  -- the monitor is gone: its terminal hung up the program
  end
end
terminal.setFocus(nil)
pcall(process.wait, pid, 1)
