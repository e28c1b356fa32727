-- lua: an interactive Lua prompt, as CC's: expressions print their values
-- with cc.pretty; Up/Down walk the history; Tab completes names
-- (textutils.complete). exit() or Ctrl+T leaves.
local pretty = require("cc.pretty")
local exception = require("cc.internal.exception")

local running = true
local env = setmetatable({exit = setmetatable({}, {
  __tostring = function() return "Call exit() to exit." end,
  __call = function() running = false end,
}), _echo = function(...) return ... end}, {__index = _G})
env._ENV = env
local history = {}

term.setTextColour(colors.yellow)
print("Interactive Lua prompt.")
print("Call exit() to exit.")
term.setTextColour(colors.white)

local function complete(line)
  local start = line:find("[%a_%.:][%w_%.:]*$")
  if start and settings.get("lua.autocomplete") then
    return textutils.complete(line:sub(start), env)
  end
  return nil
end

-- Each line is a chunk of its own, "lua[N]"; its source is kept for
-- error reports (cc.internal.exception.report shows the line an error is on).
local chunk_index, chunks = 1, {}

-- Prints what a line returned: every value, and at least one when the line
-- could only be read as an expression (so "x" shows nil).
local function print_results(results, at_least)
  local n = 1
  while n < results.n or n <= at_least do
    local value = results[n + 1]
    local ok, doc = pcall(pretty.pretty, value, {
      function_args = settings.get("lua.function_args"),
      function_source = settings.get("lua.function_source"),
    })
    if ok then pretty.print(doc) else print(tostring(value)) end
    n = n + 1
  end
end

while running do
  term.setTextColour(colors.yellow)
  write("lua> ")
  term.setTextColour(colors.white)
  local ok, line = pcall(read, nil, history, complete)
  if not ok then error(line, 0) end  -- Terminated (Ctrl+T) ends the program, as CC's lua
  if line:match("%S") then
    if history[#history] ~= line then history[#history + 1] = line end
    if settings.get("lua.warn_against_use_of_local") and line:match("^%s*local%s+") then
      if term.isColour() then term.setTextColour(colors.yellow) end
      print("To access local variables in later inputs, remove the local keyword.")
      term.setTextColour(colors.white)
    end
    -- As an expression when it reads as one (its values are printed), else
    -- as statements; _echo keeps every value of a call.
    local name = "=lua[" .. chunk_index .. "]"
    local fn, err = load(line, name, "t", env)
    local echo = load("return _echo(" .. line .. ");", name, "t", env)
    local at_least, offset = 0, 0
    if echo then
      at_least = fn and 0 or 1
      fn, offset = echo, #"return _echo("
    end
    if fn then
      chunks[name] = {contents = line, offset = offset}
      chunk_index = chunk_index + 1
      local results = table.pack(exception.try(fn))
      if results[1] then
        print_results(results, at_least)
      else
        printError(results[2])
        exception.report(results[2], results[3], chunks)
      end
    elseif require("cc.internal.syntax").parse_repl(line) then
      printError(err)
    end
  end
end
