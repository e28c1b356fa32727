-- rednet: CC's rednet API over the modems of this computer.
--
-- CC runs rednet's daemon (rednet.run) beside the shell. In moonbox every
-- process is a separate state, so the computer itself does the daemon's
-- work: a rednet packet that reaches it becomes a "rednet_message" event
-- in every process, and it answers "dns" lookups for the protocols hosted
-- with rednet.host (system.peripheral keeps that table). A copy of this file
-- loaded as CC loads an API file (into an environment of its own, as CC's
-- own tests do with their fake computers) has no such computer behind it:
-- it keeps its hosted protocols itself, and its rednet.run is CC's daemon.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect
local system = rawequal(_ENV, _G)
local native = system and require("system.peripheral") or nil
local hosted = {}  -- protocol -> hostname, for a copy of its own (not system)

local rednet = {
  CHANNEL_BROADCAST = 65535,
  CHANNEL_REPEAT = 65533,
  MAX_ID_CHANNELS = 65500,
}

local function id_as_channel(id)
  return (id or os.getComputerID()) % rednet.MAX_ID_CHANNELS
end

local function check_modem(modem)
  if peripheral.getType(modem) ~= "modem" then error("No such modem: " .. modem, 3) end
end

function rednet.open(modem)
  expect(1, modem, "string")
  check_modem(modem)
  peripheral.call(modem, "open", id_as_channel())
  peripheral.call(modem, "open", rednet.CHANNEL_BROADCAST)
end

function rednet.close(modem)
  expect(1, modem, "string", "nil")
  if modem then
    check_modem(modem)
    peripheral.call(modem, "close", id_as_channel())
    peripheral.call(modem, "close", rednet.CHANNEL_BROADCAST)
  else
    for _, name in ipairs(peripheral.getNames()) do
      if rednet.isOpen(name) then rednet.close(name) end
    end
  end
end

function rednet.isOpen(modem)
  expect(1, modem, "string", "nil")
  if modem then
    if peripheral.getType(modem) == "modem" then
      return peripheral.call(modem, "isOpen", id_as_channel())
        and peripheral.call(modem, "isOpen", rednet.CHANNEL_BROADCAST)
    end
    return false
  end
  for _, name in ipairs(peripheral.getNames()) do
    if rednet.isOpen(name) then return true end
  end
  return false
end

local received_messages = {}  -- message id -> when to forget it (rednet.run)
local prune_received_timer

-- The modems to send over: those given, else all; only those rednet has open.
local function open_modems(modems)
  local names = {}
  for _, name in ipairs(modems or peripheral.getNames()) do
    if rednet.isOpen(name) then names[#names + 1] = name end
  end
  return names
end

function rednet.send(recipient, message, protocol, modems)
  expect(1, recipient, "number")
  expect(3, protocol, "string", "nil")
  expect(4, modems, "table", "nil")
  local id = os.getComputerID()
  if recipient == id then
    -- Loopback: the message never leaves the computer.
    os.queueEvent("rednet_message", id, message, protocol)
    return true
  end
  local wrapper = {
    nMessageID = math.random(1, 2147483647),
    nRecipient = recipient,
    nSender = id,
    message = message,
    sProtocol = protocol,
  }
  local channel = recipient
  if recipient ~= rednet.CHANNEL_BROADCAST then channel = id_as_channel(recipient) end
  local sent = false
  -- To the recipient and to repeaters, on every modem rednet has open (or
  -- those given). The modem marks the message as seen by this computer as
  -- it goes; a copy of its own remembers it, as CC's daemon does.
  if not system then received_messages[wrapper.nMessageID] = os.clock() + 9.5 end
  for _, name in ipairs(open_modems(modems)) do
    peripheral.call(name, "transmit", channel, id_as_channel(), wrapper)
    peripheral.call(name, "transmit", rednet.CHANNEL_REPEAT, id_as_channel(), wrapper)
    sent = true
  end
  return sent
end

-- (returns nothing, as CC's)
function rednet.broadcast(message, protocol, modems)
  expect(2, protocol, "string", "nil")
  expect(3, modems, "table", "nil")
  rednet.send(rednet.CHANNEL_BROADCAST, message, protocol, modems)
end

function rednet.receive(protocol_filter, timeout)
  -- receive(timeout), the old form
  if type(protocol_filter) == "number" and timeout == nil then
    protocol_filter, timeout = nil, protocol_filter
  end
  expect(1, protocol_filter, "string", "nil")
  expect(2, timeout, "number", "nil")
  local timer, filter = nil, "rednet_message"
  if timeout then
    timer, filter = os.startTimer(timeout), nil
  end
  while true do
    local event, p1, p2, p3 = os.pullEvent(filter)
    if event == "rednet_message" then
      if protocol_filter == nil or p3 == protocol_filter then
        if timer and os.cancelTimer then os.cancelTimer(timer) end
        return p1, p2, p3
      end
    elseif event == "timer" and p1 == timer then
      return nil
    end
  end
end

-- The hostname this computer hosts a protocol under, or nil.
local function hostname_of(protocol)
  if system then return native.hostname(protocol) end
  return hosted[protocol]
end

function rednet.host(protocol, hostname)
  expect(1, protocol, "string")
  expect(2, hostname, "string")
  if hostname == "localhost" then error("Reserved hostname", 2) end
  if hostname_of(protocol) ~= hostname then
    if rednet.lookup(protocol, hostname) ~= nil then error("Hostname in use", 2) end
    if system then native.host(protocol, hostname) else hosted[protocol] = hostname end
  end
end

function rednet.unhost(protocol)
  expect(1, protocol, "string")
  if system then native.host(protocol, nil) else hosted[protocol] = nil end
end

function rednet.lookup(protocol, hostname)
  expect(1, protocol, "string")
  expect(2, hostname, "string", "nil")
  local results = hostname == nil and {} or nil
  local mine = hostname_of(protocol)
  if mine then
    if hostname == nil then
      results[#results + 1] = os.getComputerID()
    elseif hostname == "localhost" or hostname == mine then
      return os.getComputerID()
    end
  end
  if not rednet.isOpen() then
    if results then return table.unpack(results) end
    return nil
  end
  rednet.broadcast({sType = "lookup", sProtocol = protocol, sHostname = hostname}, "dns")
  local timer = os.startTimer(2)
  while true do
    local event, p1, p2, p3 = os.pullEvent()
    if event == "rednet_message" then
      local sender, message = p1, p2
      if p3 == "dns" and type(message) == "table" and message.sType == "lookup response"
        and message.sProtocol == protocol then
        if hostname == nil then
          results[#results + 1] = sender
        elseif message.sHostname == hostname then
          return sender
        end
      end
    elseif event == "timer" and p1 == timer then
      break
    end
  end
  if results then return table.unpack(results) end
  return nil
end

-- The computer runs rednet's daemon, as CC's bios does; a second one is an
-- error, as in CC. A copy of its own runs CC's daemon: modem messages for
-- this computer become rednet_message events (each message once: ids are
-- remembered for 9.5 s, pruned every 10 s), and dns lookups for what it
-- hosts are answered.
local running = system
function rednet.run()
  if running then error("rednet is already running", 2) end
  running = true
  while true do
    local event, p1, p2, p3, p4 = os.pullEventRaw()
    if event == "modem_message" then
      local modem, channel, reply_channel, message = p1, p2, p3, p4
      if (channel == id_as_channel() or channel == rednet.CHANNEL_BROADCAST)
        and type(message) == "table" and type(message.nMessageID) == "number"
        and message.nMessageID == message.nMessageID and not received_messages[message.nMessageID]
        and (message.nRecipient == os.getComputerID() or message.nRecipient == rednet.CHANNEL_BROADCAST)
        and rednet.isOpen(modem) then
        received_messages[message.nMessageID] = os.clock() + 9.5
        if not prune_received_timer then prune_received_timer = os.startTimer(10) end
        os.queueEvent("rednet_message", message.nSender or reply_channel, message.message, message.sProtocol)
      end
    elseif event == "rednet_message" then
      local sender, message, protocol = p1, p2, p3
      if protocol == "dns" and type(message) == "table" and message.sType == "lookup" then
        local hostname = hosted[message.sProtocol]
        if hostname ~= nil and (message.sHostname == nil or message.sHostname == hostname) then
          rednet.send(sender, { sType = "lookup response", sHostname = hostname, sProtocol = message.sProtocol }, "dns")
        end
      end
    elseif event == "timer" and p1 == prune_received_timer then
      prune_received_timer = nil
      local now, more = os.clock(), false
      for id, deadline in pairs(received_messages) do
        if deadline <= now then received_messages[id] = nil else more = true end
      end
      if more then prune_received_timer = os.startTimer(10) end
    end
  end
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(rednet) do _ENV[k] = v end end
return rednet
