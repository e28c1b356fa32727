--- cc.shell.completion: completion functions for shell.setCompletionFunction.
local expect = require("cc.expect").expect
local completion = require("cc.completion")

local M = {}

function M.file(shell, text)
  return fs.complete(text, shell.dir(), {include_files = true, include_dirs = false})
end

function M.dir(shell, text)
  return fs.complete(text, shell.dir(), {include_files = false, include_dirs = true})
end

function M.dirOrFile(shell, text, previous, add_space)
  local results = fs.complete(text, shell.dir(), {include_files = true, include_dirs = true})
  if add_space then
    for i = 1, #results do
      if results[i]:sub(-1) ~= "/" then results[i] = results[i] .. " " end
    end
  end
  return results
end

local function wrap(fn)
  return function(_, text, _, ...) return fn(text, ...) end
end

function M.program(shell, text) return shell.completeProgram(text) end

function M.programWithArgs(shell, text, previous, starting)
  if #previous + 1 == starting then
    local results = shell.completeProgram(text)
    for i = 1, #results do results[i] = results[i] .. " " end
    return results
  end
  local program = previous[starting]
  local resolved = shell.resolveProgram(program)
  if not resolved then return end
  local info = shell.getCompletionInfo()[resolved]
  if not info then return end
  local args = {table.unpack(previous, starting + 1)}
  return info.fnComplete(shell, #args + 1, text, {program, table.unpack(args)})
end

M.help = wrap(function(text) return help.completeTopic(text) end)
M.choice = wrap(completion.choice)
M.peripheral = wrap(completion.peripheral)
M.side = wrap(completion.side)
M.setting = wrap(completion.setting)
M.command = wrap(completion.command)

--- Builds a completion function from one per argument: each entry is a
-- function, or a table {function, extra args...}; `many` repeats the last.
function M.build(...)
  local arguments = table.pack(...)
  for i = 1, arguments.n do
    local arg = arguments[i]
    if arg ~= nil then
      expect(i, arg, "table", "function")
      if type(arg) == "function" then arg = {arg} end
      arguments[i] = arg
    end
  end
  return function(shell, index, text, previous)
    local arg = arguments[index]
    if not arg then
      if index <= arguments.n then return end
      arg = arguments[arguments.n]
      if not arg or not arg.many then return end
    end
    return arg[1](shell, text, previous, table.unpack(arg, 2))
  end
end

return M
