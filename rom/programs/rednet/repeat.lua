-- repeat: passes rednet messages on between modems and other repeaters, as
-- CC's repeat program. Each message is repeated once (by its id); Ctrl+T
-- ends it.
local modems = {}
for _, name in ipairs(peripheral.getNames()) do
  if peripheral.getType(name) == "modem" then modems[#modems + 1] = name end
end
if #modems == 0 then
  print("No modems found.")
  return
end
print(#modems == 1 and "1 modem found." or #modems .. " modems found.")

local function each_modem(method, ...)
  for _, name in ipairs(modems) do peripheral.call(name, method, ...) end
end

each_modem("open", rednet.CHANNEL_REPEAT)
print("0 messages repeated.")
local ok, err = pcall(function()
  local seen, forget = {}, {}
  local count = 0
  while true do
    local event, p1, channel, reply, message = os.pullEvent()
    if event == "modem_message" and channel == rednet.CHANNEL_REPEAT and type(message) == "table"
      and message.nMessageID and type(message.nRecipient) == "number" and not seen[message.nMessageID] then
      seen[message.nMessageID] = true
      forget[os.startTimer(30)] = message.nMessageID
      local to = message.nRecipient
      if to ~= rednet.CHANNEL_BROADCAST then to = to % rednet.MAX_ID_CHANNELS end
      each_modem("transmit", to, reply, message)
      each_modem("transmit", rednet.CHANNEL_REPEAT, reply, message)
      count = count + 1
      local _, y = term.getCursorPos()
      term.setCursorPos(1, y - 1)
      term.clearLine()
      print(count == 1 and "1 message repeated." or count .. " messages repeated.")
    elseif event == "timer" and forget[p1] then
      seen[forget[p1]] = nil
      forget[p1] = nil
    end
  end
end)
if not ok then printError(err) end
each_modem("close", rednet.CHANNEL_REPEAT)
