-- multishell [program args...]: several shells in tabs, as CC's multishell.
-- Each tab is a process (a shell by default) on a virtual terminal of its own
-- (system.terminal, a kernel object); this process draws the focused tab and
-- a tab bar on the real terminal, and passes input to the focused tab.
-- Programs in a tab reach it through the `multishell` API (a service).
local terminal = require("system.terminal")
local ipc = require("system.ipc")
local process = require("system.process")

local width, height = term.getSize()
local tabs = {}       -- {id = terminal, pid = process, title = string}
local focus = 0
local dirty_bar = true
local registered = ipc.register("multishell")

local function tab_of_terminal(id)
  for n, tab in ipairs(tabs) do
    if tab.id == id then return n end
  end
  return nil
end

local function set_focus(n)
  if tabs[n] and n ~= focus then
    focus = n
    terminal.setFocus(tabs[n].id)
    terminal.takeChanged(tabs[n].id)
    tabs[n].redraw = true
    dirty_bar = true
  end
end

local function launch(path, ...)
  local id = terminal.create(width, height - 1)
  local pid, err = terminal.start(id, "/" .. fs.combine(path), ...)
  if not pid then
    terminal.close(id)
    return nil, err
  end
  tabs[#tabs + 1] = {id = id, pid = pid, title = fs.getName(path):gsub("%.lua$", "")}
  dirty_bar = true
  return #tabs
end

local function draw_bar()
  term.setCursorPos(1, 1)
  term.setBackgroundColour(colors.gray)
  term.clearLine()
  for n, tab in ipairs(tabs) do
    if n == focus then
      term.setTextColour(colors.yellow)
      term.setBackgroundColour(colors.black)
    else
      term.setTextColour(colors.lightGray)
      term.setBackgroundColour(colors.gray)
    end
    tab.x = term.getCursorPos()
    term.write(" " .. tab.title .. " ")
    tab.x2 = term.getCursorPos() - 1
  end
  term.setBackgroundColour(colors.black)
  dirty_bar = false
end

local function redraw()
  local tab = tabs[focus]
  if not tab then return end
  if dirty_bar then draw_bar() end
  if terminal.takeChanged(tab.id) or tab.redraw then
    tab.redraw = false
    for y = 1, height - 1 do
      term.setCursorPos(1, y + 1)
      term.blit(terminal.getLine(tab.id, y))
    end
  end
  local x, y, blink, colour = terminal.getCursor(tab.id)
  term.setTextColour(colour)
  term.setCursorPos(x, y + 1)
  term.setCursorBlink(blink)
end

local function close_tab(n)
  local tab = table.remove(tabs, n)
  pcall(terminal.close, tab.id)
  if #tabs == 0 then return end
  if focus >= n then focus = math.max(1, focus - 1) end
  local keep = focus
  focus = 0
  set_focus(keep)
end

-- The multishell API, for the programs in the tabs.
local api = {}
function api.getCurrent(tty) return tab_of_terminal(tty) end
function api.getCount() return #tabs end
function api.getFocus() return focus end
function api.setFocus(_, n)
  if tabs[n] then set_focus(n) return true end
  return false
end
function api.getTitle(_, n) return tabs[n] and tabs[n].title end
function api.setTitle(_, n, title)
  if tabs[n] then tabs[n].title = tostring(title) dirty_bar = true end
end
function api.launch(_, path, ...)
  local n = launch(path, ...)
  return n
end

local args = {...}
if #args > 0 then
  launch(shell and shell.resolveProgram(args[1]) or args[1], table.unpack(args, 2))
else
  launch("rom/programs/shell.lua")
end
if #tabs == 0 then
  printError("multishell: cannot start the first tab")
  return
end
set_focus(1)
term.clear()
redraw()

local input = {char = true, key = true, key_up = true, paste = true, terminate = true}
local mouse = {mouse_click = true, mouse_up = true, mouse_drag = true, mouse_scroll = true}
-- A tab's program draws on its own terminal; the kernel tells multishell
-- with "terminal_changed" when there is something new to copy (no polling).
while #tabs > 0 do
  local event = table.pack(os.pullEventRaw())
  local name = event[1]
  if input[name] then
    terminal.queueEvent(tabs[focus].id, table.unpack(event, 1, event.n))
  elseif mouse[name] then
    local button, x, y = event[2], event[3], event[4]
    if y == 1 then
      if name == "mouse_click" then
        for n, tab in ipairs(tabs) do
          if tab.x and x >= tab.x and x <= tab.x2 then set_focus(n) end
        end
      end
    else
      terminal.queueEvent(tabs[focus].id, name, button, x, y - 1)
    end
  elseif name == "process_complete" then
    local info = event[2]
    for n, tab in ipairs(tabs) do
      if tab.pid == info.id then
        close_tab(n)
        break
      end
    end
    pcall(process.wait, info.id, 0)
  elseif name == "remote_event" and event[2].type == "multishell" then
    local request, sender = event[2].data, event[2].sender
    local fn = type(request) == "table" and api[request.fn]
    local results = fn and table.pack(pcall(fn, table.unpack(request.args or {}, 1, (request.args or {}).n or 0)))
      or {false, "no such function", n = 2}
    ipc.sendEvent(sender, "multishell_reply", {results = results})
  end
  redraw()
end
if registered then ipc.unregister("multishell") end
term.setCursorPos(1, 1)
term.setBackgroundColour(colors.black)
term.setTextColour(colors.white)
term.clear()
