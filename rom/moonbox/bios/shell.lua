-- shell: CC's shell API, in every process. Inside a program, shell.run and
-- shell.execute run the child in the caller's process, as CC's do: a fresh
-- environment whose __index is _G (with shell, multishell, and require
-- from the child's directory), the caller's redirect target, the caller's
-- _G. What a user starts (a command at the interactive shell's prompt, an
-- & job, a tab) is a process of its own: it receives its parent shell's
-- path and aliases in a "shell_state" remote event, and what it changes
-- with setDir, setPath, setAlias or clearAlias goes back to that shell
-- ("shell_update"), which applies it when the program ends. CC's paths have
-- no leading slash: shell.dir() is "" at the root.
local expect = require("cc.expect").expect
local process = require("system.process")
local ipc = require("system.ipc")

local shell = {}

local path = ".:/rom/programs:/rom/programs/http:/rom/programs/advanced:/rom/programs/rednet:/rom/programs/fun:/rom/programs/fun/advanced:/programs:/bin"
local aliases = {
  ls = "list", dir = "list", cp = "copy", mv = "move", rm = "delete", clr = "clear",
  rs = "redstone", sh = "shell",
}
local completion = {}
local parent_shell  -- the pid that gets our changes
local exit_requested = false

-- The parent's state, if it sent any (it does before we first run).
do
  local event, state, from = ipc.receiveEvent(process.getppid(), "shell_state", 0)
  if event and type(state) == "table" then
    if type(state.path) == "string" then path = state.path end
    if type(state.aliases) == "table" then aliases = state.aliases end
    parent_shell = from
  end
end

local function tell_parent(what, a, b)
  if parent_shell then ipc.sendEvent(parent_shell, "shell_update", {what = what, a = a, b = b}) end
end

-- Applies the changes a child sent (the interactive shell calls this after
-- each program).
function shell.applyUpdates(from)
  while true do
    local event, update = ipc.receiveEvent(from, "shell_update", 0)
    if not event then return end
    if update.what == "dir" then process.chdir("/" .. update.a)
    elseif update.what == "path" then path = update.a
    elseif update.what == "alias" then aliases[update.a] = update.b
    elseif update.what == "exit" then exit_requested = true end
    tell_parent(update.what, update.a, update.b)
  end
end

-- True once shell.exit() was called here or in a program this shell ran.
function shell.exitRequested() return exit_requested end

local function without_slash(p) return (p:gsub("^/+", "")) end

function shell.dir() return without_slash(process.getcwd()) end

function shell.setDir(dir)
  expect(1, dir, "string")
  if not fs.isDir(dir) then error("Not a directory", 2) end
  process.chdir("/" .. fs.combine(dir, ""))
  tell_parent("dir", shell.dir())
end

function shell.path() return path end

function shell.setPath(new)
  expect(1, new, "string")
  path = new
  tell_parent("path", new)
end

function shell.resolve(p)
  expect(1, p, "string")
  local first = p:sub(1, 1)
  if first == "/" or first == "\\" then return fs.combine("", p) end
  return fs.combine(shell.dir(), p)
end

local function program_file(p)
  if fs.exists(p) and not fs.isDir(p) then return p end
  if not p:find("%.lua$") and fs.exists(p .. ".lua") and not fs.isDir(p .. ".lua") then return p .. ".lua" end
  return nil
end

function shell.resolveProgram(command)
  expect(1, command, "string")
  command = aliases[command] or command
  if command:find("[/\\]") then return program_file(shell.resolve(command)) end
  for dir in path:gmatch("[^:]+") do
    local found = program_file(fs.combine(shell.resolve(dir), command))
    if found then return found end
  end
  return nil
end

function shell.aliases()
  local copy = {}
  for k, v in pairs(aliases) do copy[k] = v end
  return copy
end

function shell.setAlias(alias, program)
  expect(1, alias, "string")
  expect(2, program, "string")
  aliases[alias] = program
  tell_parent("alias", alias, program)
end

function shell.clearAlias(alias)
  expect(1, alias, "string")
  aliases[alias] = nil
  tell_parent("alias", alias, nil)
end

function shell.programs(include_hidden)
  expect(1, include_hidden, "boolean", "nil")
  return require("cc.internal.names").in_path(path, shell.resolve, function(file)
    if include_hidden or file:sub(1, 1) ~= "." then return (file:gsub("%.lua$", "")) end
  end)
end

local running_program = process.getpinfo(process.getpid()).name  -- the file this process runs
-- The programs shell.execute is running in this process, innermost last.
local program_stack = {}
function shell.getRunningProgram() return without_slash(program_stack[#program_stack] or running_program) end

-- Words of a command line: spaces split, "double quotes" group.
local function tokenise(line)
  local words, quoted = {}, false
  for part in (line .. '"'):gmatch('(.-)"') do
    if quoted then
      words[#words + 1] = part
    else
      for word in part:gmatch("%S+") do words[#words + 1] = word end
    end
    quoted = not quoted
  end
  return words
end
shell.tokenise = tokenise

-- A program whose first line is "#!target args" runs as
-- `target args file ...`, as CC's shell does (up to 100 levels).
local function follow_hashbang(file, args, depth, arg0)
  local handle = fs.open(file, "r")
  local first = handle and handle.readLine()
  if handle then handle.close() end
  if not first or first:sub(1, 2) ~= "#!" then return file, args, arg0 end
  if depth > 100 then return nil, "Hashbang recursion depth exceeded" end
  local words = tokenise(first:sub(3))
  local target = table.remove(words, 1)
  local resolved = target and shell.resolveProgram(target)
  if not resolved then return nil, "No such program" end
  table.insert(words, file)
  for i = 1, args.n do words[#words + 1] = args[i] end
  words.n = #words
  return follow_hashbang(resolved, words, depth + 1, target)
end

-- Starts a program as a child process and hands it this shell's state
-- (moonbox's extra: shell.run is start + wait). Returns its pid, or nil and
-- a message.
local function launch(program, foreground, ...)
  expect(1, program, "string")
  local file = shell.resolveProgram(program)
  if not file then return nil, "No such program" end
  local args, arg0
  file, args, arg0 = follow_hashbang(file, table.pack(...), 1, program)
  if not file then return nil, args end
  -- arg[0] is the command as typed (or a hashbang's target), as CC's shell
  -- gives it. A foreground program gets the terminal before it can run.
  -- The shell's state is queued for the program before it can run.
  local pid, err = process.start({path = "/" .. file, arg0 = arg0, foreground = foreground,
    event = {"shell_state", {path = path, aliases = aliases}}}, table.unpack(args, 1, args.n))
  if not pid then return nil, err end
  return pid
end

function shell.start(program, ...) return launch(program, false, ...) end

-- The same, handing the child the terminal at once when this process holds
-- it (shell.run, and the shell's foreground commands).
function shell.startForeground(program, ...)
  return launch(program, process.getforeground() == process.getpid(), ...)
end

-- Waits for a child this shell started, with the terminal handed to it.
function shell.waitFor(pid)
  local me = process.getpid()
  local holds_terminal = process.getforeground() == me
  if holds_terminal then pcall(process.setforeground, pid) end
  local status = process.wait(pid)
  if holds_terminal then pcall(process.setforeground, me) end
  shell.applyUpdates(pid)
  return status
end

-- CC's environment for a program shell.execute runs: shell and multishell,
-- and require/package resolving from the program's directory.
local function program_env(dir)
  local env = {shell = shell, multishell = multishell}
  env.require, env.package = require("cc.require").make(env, dir)
  return env
end

-- Runs a program in this process, as CC's shell.execute: false (with the
-- error printed) when it is not found or fails.
function shell.execute(command, ...)
  expect(1, command, "string")
  for i = 1, select("#", ...) do expect(i + 1, (select(i, ...)), "string") end
  local file = shell.resolveProgram(command)
  if not file then
    printError("No such program")
    return false
  end
  local args, arg0
  file, args, arg0 = follow_hashbang(file, table.pack(...), 1, command)
  if not file then
    printError(args)
    return false
  end
  program_stack[#program_stack + 1] = file
  -- In a multishell tab, the tab is named after the program while it runs.
  local tab = multishell and select(2, pcall(multishell.getCurrent))
  local title = type(tab) == "number" and select(2, pcall(multishell.getTitle, tab))
  if type(title) ~= "string" then title = nil end
  if title then pcall(multishell.setTitle, tab, (fs.getName(file):gsub("%.lua$", ""))) end
  local env = program_env(fs.getDir(file))
  env.arg = {[0] = arg0, table.unpack(args, 1, args.n)}
  local ok = os.run(env, "/" .. file, table.unpack(args, 1, args.n))
  program_stack[#program_stack] = nil
  if title then pcall(multishell.setTitle, tab, title) end
  return ok
end

function shell.run(...)
  local words = tokenise(table.concat({...}, " "))
  local command = table.remove(words, 1)
  if command then return shell.execute(command, table.unpack(words)) end
  return false
end

function shell.exit()
  exit_requested = true
  tell_parent("exit")
end

-- ---------------------------------------------------------------- completion

-- The rom's programs' completions (rom/moonbox/completions.lua, CC's
-- rom/startup.lua list), added the first time anything asks: every process
-- has a shell API of its own, and most never complete anything.
local completions_loaded = false
local function completion_info()
  if not completions_loaded then
    completions_loaded = true
    local chunk = loadfile("/rom/moonbox/completions.lua", nil, _ENV)
    if chunk then chunk(shell) end
  end
  return completion
end

function shell.setCompletionFunction(program, fn)
  expect(1, program, "string")
  expect(2, fn, "function")
  completion_info()[program] = {fnComplete = fn}
end

function shell.getCompletionInfo() return completion_info() end

function shell.completeProgram(prefix)
  expect(1, prefix, "string")
  local results = {}
  if prefix:find("[/\\]") then
    return fs.complete(prefix, shell.dir(), {include_files = true, include_dirs = true, include_hidden = false})
  end
  local seen = {}
  local names = shell.programs()
  for alias in pairs(aliases) do names[#names + 1] = alias end
  table.sort(names)
  for _, name in ipairs(names) do
    if #name > #prefix and name:sub(1, #prefix) == prefix and not seen[name] then
      seen[name] = true
      results[#results + 1] = name:sub(#prefix + 1)
    end
  end
  return results
end

function shell.complete(line)
  expect(1, line, "string")
  if #line == 0 then return nil end
  local words = tokenise(line)
  local index = #words
  if line:sub(-1):match("%s") then index = index + 1 end
  if index <= 1 then
    local results = shell.completeProgram(words[1] or "")
    for i, r in ipairs(results) do results[i] = r .. " " end
    return results
  end
  local program = shell.resolveProgram(words[1])
  local info = program and completion_info()[program]
  if info then
    local previous = {}
    for i = 2, index - 1 do previous[#previous + 1] = words[i] end
    return info.fnComplete(shell, index - 1, words[index] or "", previous)
  end
  return nil
end

-- ---------------------------------------------------------------- tabs

-- Only inside multishell, as in CC (programs test for shell.openTab).
if multishell then
  function shell.openTab(...)
    return multishell.launch({shell = shell, multishell = multishell}, "rom/programs/shell.lua", ...)
  end

  function shell.switchTab(id)
    expect(1, id, "number")
    multishell.setFocus(id)
  end
end

return shell
