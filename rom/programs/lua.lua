-- lua: an interactive Lua prompt. Expressions print their values; exit()
-- or Ctrl+T leaves.
local running = true
local env = setmetatable({exit = function() running = false end}, {__index = _G})
local history = {}
term.setTextColour(colors.yellow)
print("Interactive Lua prompt. Call exit() to leave.")
term.setTextColour(colors.white)

local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then
      local items = {}
      for k, x in pairs(v) do
        items[#items + 1] = tostring(k) .. " = " .. tostring(x)
        if #items >= 10 then items[#items + 1] = "..." break end
      end
      parts[#parts + 1] = "{" .. table.concat(items, ", ") .. "}"
    else
      parts[#parts + 1] = type(v) == "string" and ("%q"):format(v) or tostring(v)
    end
  end
  if #parts > 0 then print(table.concat(parts, "  ")) end
end

while running do
  term.setTextColour(colors.yellow)
  write("lua> ")
  term.setTextColour(colors.white)
  local ok, line = pcall(read, nil, history)
  if not ok then break end  -- Terminated
  if line:match("%S") then
    history[#history + 1] = line
    local fn, err = load("return " .. line, "lua", "t", env)
    if not fn then fn, err = load(line, "lua", "t", env) end
    if not fn then
      printError(err)
    else
      local results = table.pack(pcall(fn))
      if results[1] then show(table.unpack(results, 2, results.n))
      else printError(results[2]) end
    end
  end
end
