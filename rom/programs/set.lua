-- set [name [value]]: shows or changes settings (saved to /.settings), as
-- CC's: `set` lists them all, `set name` shows one with its default and
-- description, `set name value` changes it (true, false, a number, nil to
-- unset, else a string), refusing a value of the wrong type.
local pretty = require("cc.pretty")
local args = { ... }

if #args == 0 then
  local lines = {}
  for i, name in ipairs(settings.getNames()) do
    lines[i] = textutils.serialise(name) .. " is " .. textutils.serialise(settings.get(name))
  end
  local _, y = term.getCursorPos()
  textutils.pagedPrint(table.concat(lines, "\n"), y - 3)
elseif #args == 1 then
  local name = args[1]
  local details = settings.getDetails(name)
  -- (pretty.concat, not `..` on documents: see cc.internal.syntax.errors)
  local shown = pretty.concat(pretty.text(name, colours.cyan), " is ", pretty.pretty(details.value))
  if details.default ~= nil and details.value ~= details.default then
    shown = pretty.concat(shown, " (default is ", pretty.pretty(details.default), ")")
  end
  pretty.print(shown)
  if details.description then print(details.description) end
else
  local name, text = args[1], args[2]
  local value
  if text == "true" then
    value = true
  elseif text == "false" then
    value = false
  elseif text == "nil" then
    value = nil
  elseif tonumber(text) then
    value = tonumber(text)
  else
    value = text
  end
  local details = settings.getDetails(name)
  if value == nil then
    settings.unset(name)
    print(textutils.serialise(name) .. " unset")
  elseif details.type and details.type ~= type(value) then
    printError(("%s is not a valid %s."):format(textutils.serialise(text), details.type))
    return
  else
    settings.set(name, value)
    print(textutils.serialise(name) .. " set to " .. textutils.serialise(value))
  end
  if value ~= details.value then settings.save() end
end
