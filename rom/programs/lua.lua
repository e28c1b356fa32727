-- lua: an interactive Lua prompt, as CC's: expressions print their values
-- with cc.pretty; Up/Down walk the history; Tab completes names
-- (textutils.complete). exit() or Ctrl+T leaves.
local pretty = require("cc.pretty")

local running = true
local env = setmetatable({exit = setmetatable({}, {
  __tostring = function() return "Call exit() to exit." end,
  __call = function() running = false end,
})}, {__index = _G})
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

while running do
  term.setTextColour(colors.yellow)
  write("lua> ")
  term.setTextColour(colors.white)
  local ok, line = pcall(read, nil, history, complete)
  if not ok then error(line, 0) end  -- Terminated (Ctrl+T) ends the program, as CC's lua
  if line:match("%S") then
    if history[#history] ~= line then history[#history + 1] = line end
    local fn, err = load("return " .. line, "=lua", "t", env)
    if not fn then fn, err = load(line, "=lua", "t", env) end
    if not fn then
      printError(err)
    else
      local results = table.pack(pcall(fn))
      if results[1] then
        for i = 2, results.n do
          local value = results[i]
          local ok2, doc = pcall(pretty.pretty, value, {
            function_args = settings.get("lua.function_args"),
            function_source = settings.get("lua.function_source"),
          })
          if ok2 then pretty.print(doc) else print(tostring(value)) end
        end
      else
        printError(results[2])
      end
    end
  end
end
