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

--- Peripheral names.
function completion.peripheral(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  return choices(text, peripheral.getNames(), add_space)
end

local sides = redstone.getSides()
--- Computer sides.
function completion.side(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  return choices(text, sides, add_space)
end

--- Setting names.
function completion.setting(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  return choices(text, settings.getNames(), add_space)
end

--- Command names (from the commands API of a command computer; none here).
function completion.command(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  local commands = rawget(_G, "commands")
  return choices(text, commands and commands.list() or {}, add_space)
end

return completion
