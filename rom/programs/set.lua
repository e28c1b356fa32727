-- set [name [value]]: shows or changes settings (saved to /.settings).
local args = {...}
local function show(name)
  local value = settings.get(name)
  print(textutils.serialise(name) .. " is " .. textutils.serialise(value))
end
if #args == 0 then
  for _, name in ipairs(settings.getNames()) do show(name) end
elseif #args == 1 then
  local name = args[1]
  show(name)
  local details = settings.getDetails(name)
  if details.description then print(details.description) end
else
  local name, text = args[1], table.concat(args, " ", 2)
  local value
  if text == "true" then value = true
  elseif text == "false" then value = false
  elseif text == "nil" then value = nil
  elseif tonumber(text) then value = tonumber(text)
  else value = text end
  local old = settings.get(name)
  if value == nil then settings.unset(name) else settings.set(name, value) end
  print(textutils.serialise(name) .. " set to " .. textutils.serialise(value) ..
        (old == nil and "" or " (was " .. textutils.serialise(old) .. ")"))
  settings.save()
end
