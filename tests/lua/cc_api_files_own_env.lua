-- rom/apis files loaded as CC loads an API file, into an environment of
-- their own with no require and only the globals given (as CC's own tests
-- do with fake computers): cc.expect comes from its file, peripheral takes
-- the environment's native one, and rednet, with no moonbox computer behind
-- it, runs CC's daemon itself: messages once each, airgapped modems, the
-- repeat path, dns lookups and its receive timer cancelled.
-- expect-out: own env ok
local check = require("lib.check")

-- A small world of fake computers: each runs fn(env) in a coroutine, with
-- its own event queue, timers on a clock we advance, and fake modems.
local function computer(id, fn)
  local env = { peripheral = {}, os = {} }
  for _, k in ipairs({ "assert", "coroutine", "debug", "error", "ipairs", "math", "next", "pairs", "pcall",
    "rawequal", "rawget", "rawset", "select", "setmetatable", "getmetatable", "string", "table", "tonumber",
    "tostring", "type", "fs", "loadfile" }) do env[k] = _G[k] end
  env.dofile = function(path) return assert(loadfile(path, nil, env))() end
  local c = { env = env, devices = {}, events = {}, timers = {}, clock = 0, next_timer = 1 }
  local function queue(...) c.events[#c.events + 1] = table.pack(...) end
  c.queue = queue
  env.peripheral.getNames = function()
    local names = {}
    for name in pairs(c.devices) do names[#names + 1] = name end
    table.sort(names)
    return names
  end
  env.peripheral.isPresent = function(name) return c.devices[name] ~= nil end
  env.peripheral.getType = function(name) return c.devices[name] and "modem" end
  env.peripheral.getMethods = function(name) return c.devices[name] and { "open", "close", "isOpen", "transmit" } end
  env.peripheral.call = function(name, method, ...) return c.devices[name][method](...) end
  env.os.getComputerID = function() return id end
  env.os.queueEvent = queue
  env.os.pullEventRaw = coroutine.yield
  env.os.pullEvent = function(filter)
    local event = table.pack(coroutine.yield(filter))
    if event[1] == "terminate" then error("Terminated", 0) end
    return table.unpack(event, 1, event.n)
  end
  env.os.startTimer = function(delay)
    local t = c.next_timer
    c.timers[t], c.next_timer = c.clock + delay, t + 1
    return t
  end
  env.os.cancelTimer = function(t) c.timers[t] = nil end
  env.os.clock = function() return c.clock end
  c.co = coroutine.create(function() return fn(env) end)
  c.filter = nil
  queue("start")
  return c
end

local function load_api(c, name)
  local child = setmetatable({}, { __index = c.env })
  assert(loadfile("/rom/apis/" .. name .. ".lua", nil, child))()
  local api = {}
  for k, v in pairs(child) do api[k] = v end
  c.env[name] = api
end

local function add_modem(c, side)
  local modem = { owner = c, side = side, open = {}, links = {} }
  c.devices[side] = {
    open = function(ch) modem.open[ch] = true end,
    close = function(ch) modem.open[ch] = nil end,
    isOpen = function(ch) return modem.open[ch] == true end,
    transmit = function(ch, reply, payload)
      for _, other in ipairs(modem.links) do
        if other.open[ch] then other.owner.queue("modem_message", other.side, ch, reply, payload, 0) end
      end
    end,
  }
  return modem
end

local function link(a, b)
  a.links[#a.links + 1] = b
  b.links[#b.links + 1] = a
end

local function run_all(cs)
  local any = true
  while any do
    any = false
    for _, c in ipairs(cs) do  -- one event each per round, so that they interleave
      if #c.events > 0 and coroutine.status(c.co) ~= "dead" then
        local event = table.remove(c.events, 1)
        any = true
        if c.filter == nil or event[1] == c.filter or event[1] == "terminate" then
          local ok, result = coroutine.resume(c.co, table.unpack(event, 1, event.n))
          if not ok then error(result, 0) end
          c.filter = result
        end
      end
    end
  end
end

local function advance(cs, dt)
  for _, c in ipairs(cs) do
    c.clock = c.clock + dt
    for t, at in pairs(c.timers) do
      if at <= c.clock then
        c.timers[t] = nil
        c.queue("timer", t)
      end
    end
  end
end

-- each computer: rednet's daemon beside its program, as CC's bios runs it
local function with_rednet(id, program, host)
  local c
  c = computer(id, function(env)
    local done = false
    local daemon = coroutine.create(env.rednet.run)
    -- hosted before rednet is open: no lookup to wait for
    if host then env.rednet.host("some_protocol", "host_" .. id) end
    local main = coroutine.create(function()
      env.rednet.open("back")
      env.os.queueEvent("x")  -- let the others open theirs first
      env.os.pullEvent("x")
      if program then program(env.rednet, env) end
      done = true
    end)
    local filters = {}
    local event = { n = 0 }
    while not done do
      for _, co in ipairs({ daemon, main }) do
        if coroutine.status(co) ~= "dead" and (filters[co] == nil or filters[co] == event[1]) then
          local ok, filter = coroutine.resume(co, table.unpack(event, 1, event.n))
          if not ok then error(filter, 0) end
          filters[co] = filter
        end
      end
      if done then break end
      event = table.pack(coroutine.yield())
    end
  end)
  load_api(c, "rednet")
  return c, add_modem(c, "back")
end

-- the API files load without require
local c0 = computer(1, function() end)
for _, name in ipairs({ "peripheral", "vector", "gps", "rednet" }) do load_api(c0, name) end
check.eq(type(c0.env.rednet.run), "function")
check.eq(type(c0.env.vector.new), "function")
check.raises("bad argument #1 (string expected, got nil)", c0.env.rednet.open, nil)
check.raises("No such modem: not_there", c0.env.rednet.open, "not_there")
check.eq(c0.env.peripheral.isPresent("back"), false, "the environment's native peripheral")

-- sends and receives, once each
local got = {}
local a, modem_a = with_rednet(1, function(rednet) rednet.send(2, "Hello") end)
local b, modem_b = with_rednet(2, function(rednet)
  got[#got + 1] = { rednet.receive() }
  got[#got + 1] = { rednet.receive(nil, 1) }
end)
link(modem_a, modem_b)
run_all({ a, b })
advance({ a, b }, 1)
run_all({ a, b })
check.same(got, { { 1, "Hello" }, {} })
check.eq(next(b.timers) ~= nil, true, "the prune timer waits")
for t in pairs(b.timers) do check.eq(b.timers[t], 10, "only the prune timer: receive cancelled its own") end

-- airgapping: a broadcast goes only over the modems given
local heard = {}
local sender, back = with_rednet(1, function(rednet)
  rednet.open("top")
  rednet.broadcast("Hello", nil, { "back" })
  rednet.broadcast("World", nil, { "top" })
end)
local top = add_modem(sender, "top")
local left, left_modem = with_rednet(2, function(rednet) heard.left = select(2, rednet.receive()) end)
local right, right_modem = with_rednet(3, function(rednet) heard.right = select(2, rednet.receive()) end)
link(back, left_modem)
link(top, right_modem)
run_all({ sender, left, right })
check.same(heard, { left = "Hello", right = "World" })

-- lookups reach a host through the daemon
local found
local asker, asker_modem = with_rednet(7, function(rednet) found = { rednet.lookup("some_protocol") } end)
local host, host_modem = with_rednet(9, function() while true do coroutine.yield() end end, true)
link(asker_modem, host_modem)
run_all({ host, asker })
advance({ host, asker }, 3)
run_all({ host, asker })
check.same(found, { 9 })
print("own env ok")
