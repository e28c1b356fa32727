--- cc.completion: helpers for read()'s completion functions.
local expect = require("cc.expect").expect

local completion = {}

local function choices(text, options, add_space)
  local results = {}
  for _, option in ipairs(options) do
    if #option + (add_space and 1 or 0) > #text and option:sub(1, #text) == text then
      local rest = option:sub(#text + 1)
      if add_space then rest = rest .. " " end
      results[#results + 1] = rest
    end
  end
  return results
end

--- The options that start with text (with a space after, if asked).
function completion.choice(text, choices_, add_space)
  expect(1, text, "string")
  expect(2, choices_, "table")
  expect(3, add_space, "boolean", "nil")
  return choices(text, choices_, add_space)
end

-- A completion function over the names list() gives at each call.
local function from_list(list)
  return function(text, add_space)
    expect(1, text, "string")
    expect(2, add_space, "boolean", "nil")
    return choices(text, list(), add_space)
  end
end

--- Peripheral names.
completion.peripheral = from_list(function() return peripheral.getNames() end)

--- Computer sides.
completion.side = from_list(function() return redstone.getSides() end)

--- Setting names.
completion.setting = from_list(function() return settings.getNames() end)

--- Command names (from the commands API of a command computer; none here).
completion.command = from_list(function()
  local commands = rawget(_G, "commands")
  return commands and commands.list() or {}
end)

return completion
