-- Fuzzes every function of system.ipc, system.process, system.terminal, term,
-- fs, os, io (and a file's methods), redstone, cc.expect, periphemu, http
-- (and its response, request, answer and listener handles),
-- system.peripheral, the methods of a monitor, modem, drive, printer and
-- speaker, the CC APIs written in Lua (textutils, colors, window,
-- paintutils, vector, settings, peripheral, disk, rednet, bit32) and the
-- metamethods a program can reach; with `wide`, also every other global
-- table and the base library. Random argument types, values and counts.
-- Re-entry: some arguments are tables whose metamethods (__tostring,
-- __len, __index, __call, __concat, __eq, __lt...) remove, replace, close,
-- eject, detach or shut down the very objects being called (peripherals,
-- file handles, windows, modems, a computer, processes) mid-call.
-- Each batch of calls runs in its own process (a call may block, stop or
-- end it); the host must never crash and every rejection must be a Lua
-- error with a message.
--   moonbox --headless tests/lua/fuzz_api.lua [SEED] [BATCHES] [CALLS_PER_BATCH] [wide]
-- CI runs the fixed seed below (also under ASan+UBSan); run longer by hand.
-- args: 20261123 200 150
-- moonbox-options: --http-allow 127.0.0.1
-- expect-out: fuzz ok
local process = require("system.process")
local ipc = require("system.ipc")
local seed, batches, calls = tonumber((...)) or 1, tonumber((select(2, ...))) or 60, tonumber((select(3, ...))) or 150
local wide = select(4, ...) == "wide"
local me = process.getpid()

local child_source = [[
local ipc = require("system.ipc")
local process = require("system.process")
local seed, calls, parent, wide = ...
math.randomseed(seed)
local modules = {
  ipc = ipc, process = process, term = term, fs = fs, os = os,
  terminal = require("system.terminal"), redstone = redstone, expect = require("cc.expect"),
  textutils = textutils, colors = colors, window = window, paintutils = paintutils, vector = vector,
  settings = settings, peripheral = peripheral, disk = disk, bit32 = bit32,
  strings = require("cc.strings"), pretty = require("cc.pretty"),
  periphemu = periphemu, rednet = rednet, native_peripheral = require("system.peripheral"),
  io = io, io_file = getmetatable(io.stdout).__index,
  -- metamethods a program can reach: a file's, and those that complete
  -- os and fs on first use (captured before anything completes them)
  file_meta = getmetatable(io.stdout), os_meta = getmetatable(os) or {}, fs_meta = getmetatable(fs) or {},
  globals_meta = getmetatable(_G),
}
if wide then
  -- every other global table, and the base library itself (many of these
  -- wait for events, so more batches run into the 2 s limit: by hand only)
  local more = {
    base = _G, string = string, table = table, math = math, utf8 = utf8, coroutine = coroutine,
    package = package, debug = debug, string_meta = getmetatable(""), keys = keys, parallel = parallel,
    rs = rs, io_stdin = io.stdin._handle, io_stdout = io.stdout._handle,
  }
  for k, v in pairs(more) do modules[k] = v end
end
-- one device of each kind, and computer 7 (booted once, by the first batch)
local kinds = {"monitor", "modem", "drive", "printer", "speaker"}
local function attach_all()
  for _, kind in ipairs(kinds) do
    if not peripheral.isPresent("fz_" .. kind) then periphemu.create("fz_" .. kind, kind) end
  end
  if not peripheral.isPresent("computer_7") then periphemu.create(7, "computer") end
end
attach_all()
for _, kind in ipairs(kinds) do modules[kind] = peripheral.wrap("fz_" .. kind) end
modules.computer = peripheral.wrap("computer_7")
-- file handles of each kind, and a window, whose methods are called too
local handles = {fs.open("/fz_text", "w+"), fs.open("/fz_bin", "w+b"), fs.open("/fz_append", "a")}
modules.handle, modules.handle_b, modules.handle_a = handles[1], handles[2], handles[3]
local io_file = io.open("/fz_io", "w+")
modules.io_handle = {write = function(...) return io_file:write(...) end, seek = function(...) return io_file:seek(...) end,
  read = function(...) return io_file:read(...) end, close = function() return io_file:close() end}
local win = window.create(term.native(), 1, 1, 20, 6)
modules.win = win
modules.http = http
-- http handles: a listener on a port of this batch's asks itself once; the
-- request, its answer and the response are fuzzed (and closed by saboteurs)
local http_port = 20000 + seed % 30000
local http_handles = {}
if pcall(http.addListener, http_port) then
  -- the first request is answered (its response is fuzzed), the second is
  -- left waiting (its request and answer handles are fuzzed)
  http.request("http://127.0.0.1:" .. http_port .. "/fuzz", "body")
  local deadline, asked = os.startTimer(2), 1
  while not (http_handles.response and http_handles.answer) do
    local e, a, b, c = os.pullEvent()
    if e == "http_request" and asked == 1 then
      c.write("answer")
      c.close()
    elseif e == "http_request" then
      http_handles.request, http_handles.answer = b, c
    elseif e == "http_success" or e == "http_failure" then
      http_handles.response = c or b
      if asked == 1 then
        asked = 2
        http.request("http://127.0.0.1:" .. http_port .. "/second")
      end
    elseif e == "timer" and a == deadline then
      break
    end
  end
end
for k, v in pairs(http_handles) do if type(v) == "table" then modules["http_" .. k] = v end end

-- What a saboteur's metamethod does to the objects being used.
local sabotage = {
  function() periphemu.remove("fz_" .. kinds[math.random(1, #kinds)]) end,
  function()  -- replace a device by another kind under the same name
    local name = "fz_" .. kinds[math.random(1, #kinds)]
    periphemu.remove(name)
    periphemu.create(name, kinds[math.random(1, #kinds)])
  end,
  function() handles[math.random(1, #handles)].close() end,
  function() for _, h in pairs(http_handles) do if type(h) == "table" and h.close then pcall(h.close) end end end,
  function() pcall(http.removeListener, http_port) end,
  function() io_file:close() end,
  function() if peripheral.isPresent("fz_drive") then peripheral.call("fz_drive", "ejectDisk") end end,
  function() if peripheral.isPresent("fz_drive") then peripheral.call("fz_drive", "insertDisk", math.random(0, 3)) end end,
  function() if peripheral.isPresent("fz_modem") then peripheral.call("fz_modem", "closeAll") end end,
  function() term.redirect(math.random() < 0.5 and win or term.native()) end,
  function() win.setVisible(math.random() < 0.5) win.reposition(1, 1, math.random(0, 30), math.random(0, 10)) end,
  function() periphemu.remove("computer_7") end,
  function() if peripheral.isPresent("computer_7") then peripheral.call("computer_7", "shutdown") end end,
  function()  -- a process of this batch's, never the fuzzer
    local pid = math.random(2, 40)
    if pid ~= parent and pid ~= process.getpid() then pcall(ipc.kill, pid, ipc.signal.SIGKILL) end
  end,
}
local function saboteur()
  local function act() pcall(sabotage[math.random(1, #sabotage)]) end
  local mt = {}
  for _, event in ipairs({"__tostring", "__len", "__index", "__newindex", "__call", "__concat", "__eq", "__lt",
                          "__le", "__unm", "__add"}) do
    mt[event] = function(...)
      act()
      if event == "__tostring" or event == "__concat" then return "x"
      elseif event == "__len" then return math.random(0, 4)
      elseif event == "__index" then return math.random() < 0.5 and 1 or nil
      elseif event == "__eq" or event == "__lt" or event == "__le" then return math.random() < 0.5 end
      return 1
    end
  end
  local t = {}
  for i = 1, math.random(0, 3) do t[i] = math.random(-128, 127) end
  return setmetatable(t, mt)
end
local skip = {["process.exit"] = 0.3,
  -- errors by design, with any value; read() waits for keys, sleep for time
  ["base.error"] = 1, ["base.assert"] = 1, ["base.read"] = 1, ["base.sleep"] = 1,
  ["io_stdin.readLine"] = 1, ["io_stdin.readAll"] = 1, ["base.collectgarbage"] = 0.5, ["os.shutdown"] = 1, ["os.reboot"] = 1,
  -- slow on purpose (a sleep per character, a key per page)
  ["textutils.slowWrite"] = 1, ["textutils.slowPrint"] = 1, ["textutils.pagedPrint"] = 1,
  ["textutils.pagedTabulate"] = 1,
  -- a lookup waits 2 s for answers (host looks up first)
  ["rednet.lookup"] = 0.9, ["rednet.host"] = 0.9,
  -- they wait for an answer that may be this batch's own listener's (which
  -- nobody serves while it waits): mostly the asynchronous forms instead
  ["http.get"] = 0.8, ["http.post"] = 0.8, ["http.websocket"] = 0.8, ["http.checkURL"] = 0.8,
  ["http.listen"] = 1}
local targets = {}
for mname, m in pairs(modules) do
  for fname, f in pairs(m) do
    if type(f) == "function" then targets[#targets + 1] = {mname .. "." .. fname, f} end
  end
end
table.sort(targets, function(a, b) return a[1] < b[1] end)

local strings = {"", "x", "/", "..", "../../etc/passwd", "/rom/startup.lua", "/tmp/f", "a\0b", "\255\254",
  "time?", "clock", "remote_event", "terminate", "timer", "r", "w", "a", "rb", "wb", "SIGTERM", "%", "[",
  "fz_monitor", "fz_modem", "fz_drive", "fz_printer", "fz_speaker", "left", "modem", "harp", "dns",
  string.rep("z", 300), "utc", "ingame", "local",
  "http://127.0.0.1:" .. http_port .. "/x", "http://localhost/", "ws://127.0.0.1:1/", "ftp://a", "http://",
  "https://[::1]/", "GET", "PATCH", "CONNECT"}
local function value(depth)
  local kind = math.random(1, 15)
  if kind == 1 then return nil
  elseif kind == 2 then return math.random() < 0.5
  elseif kind == 3 then return math.random(-3, 40)
  elseif kind == 4 then return ({0, -1, 1, 2^31, -2^31, math.maxinteger, math.mininteger, 1e308})[math.random(1, 8)]
  elseif kind == 5 then return ({0.5, -0.0, 1/0, -1/0, 0/0, 2.5, 1e-300})[math.random(1, 7)]
  elseif kind == 6 or kind == 7 then return strings[math.random(1, #strings)]
  elseif kind == 8 then return ({1, 2, 9, 15, 18, 19, 0x8000, 0x4000, 256})[math.random(1, 9)]
  elseif kind == 9 and (depth or 0) < 3 then
    local t = {}
    for i = 1, math.random(0, 4) do
      local k = value((depth or 0) + 1)
      if k == nil or k ~= k then k = i end  -- nil and NaN cannot be keys
      t[k] = value((depth or 0) + 1)
    end
    if math.random() < 0.2 then t.self = t end
    return t
  elseif kind == 10 then return print
  elseif kind == 11 then return coroutine.create(print)
  elseif kind == 12 then return math.random(1, 12)  -- likely pids
  elseif kind == 13 or kind == 14 then return saboteur()
  else return {} end
end

-- The functions that convert an argument with a metamethod (tostring, #):
-- a quarter of the calls go to one of them with a saboteur first.
local by_name = {}
for _, target in ipairs(targets) do by_name[ target[1] ] = target end
local converting = {}
for _, name in ipairs({"monitor.write", "speaker.playAudio", "handle.write", "handle.writeLine", "handle_b.write",
                       "handle_b.writeLine", "handle_a.write", "handle_a.writeLine", "term.write", "win.write",
                       "io_handle.write", "textutils.serialize", "textutils.serializeJSON", "base.print",
                       "http_answer.write", "http_answer.setResponseHeader", "http.request", "http.websocketAsync",
                       "base.tostring", "strings.wrap"}) do
  if by_name[name] then converting[#converting + 1] = by_name[name] end
end

local bad = 0
for i = 1, calls do
  if math.random() < 0.2 then pcall(attach_all) end
  local sabotaged = #converting > 0 and math.random() < 0.25
  local target = sabotaged and converting[math.random(1, #converting)] or targets[math.random(1, #targets)]
  local name, f = target[1], target[2]
  if not (skip[name] and math.random() < skip[name]) then
    local args = {}
    local n = math.random(0, 5)
    for k = 1, n do args[k] = value() end
    if sabotaged then args[1] = saboteur(); n = math.max(n, 1) end
    -- never signal the fuzzer itself
    if (name == "ipc.kill" or name == "process.setuser") and args[1] == parent then args[1] = -1 end
    if name == "ipc.receiveEvent" or name == "os.pullEvent" or name == "os.pullEventRaw" or name == "process.wait" then
      -- bounded waits only (the parent also kills stuck batches)
      if name == "ipc.receiveEvent" then args[3] = 0; n = math.max(n, 3)
      elseif name == "process.wait" then args[2] = 0; n = math.max(n, 2)
      else args[1] = nil; os.queueEvent("fuzz") end
    end
    if name == "process.sleep" or name == "os.sleep" then args[1] = 0; n = math.max(n, 1) end
    if name == "rednet.receive" then args[2] = 0; n = math.max(n, 2) end
    local ok, err = pcall(f, table.unpack(args, 1, n))
    if not ok and (type(err) ~= "string" or err == "" or err:find("to '%?'")) then
      bad = bad + 1
      print("unclear error from " .. name .. ": " .. tostring(err))
    end
  end
end
ipc.sendEvent(parent, "batch", {bad = bad})
]]

local total_bad, finished, killed = 0, 0, 0
for b = 1, batches do
  local pid = assert(process.startString(child_source, "fuzz" .. b, seed + b, calls, me, wide))
  -- Wait for the batch's report; a batch that stopped or ended itself (it
  -- may signal itself) is seen at once, one that blocks is given 2 s.
  local result
  local deadline = os.clock() + 2
  while os.clock() < deadline do
    local ev, p = ipc.receiveEvent(pid, "batch", 0.02)
    if ev then result = p break end
    local info = process.getpinfo(pid)
    if not info or info.state == "zombie" or info.state == "stopped" then break end
  end
  if result then
    finished = finished + 1
    total_bad = total_bad + result.bad
  end
  if process.getpinfo(pid) and process.getpinfo(pid).state ~= "zombie" then
    pcall(ipc.kill, pid, ipc.signal.SIGKILL)
    killed = killed + 1
  end
  pcall(process.wait, pid, 1)
  -- batches may leave processes behind; clear them out
  for _, other in ipairs(process.getplist()) do
    if other ~= me and other ~= 1 then
      local info = process.getpinfo(other)
      if info and info.ppid ~= 1 and info.state ~= "zombie" then pcall(ipc.kill, other, ipc.signal.SIGKILL) end
    end
  end
end
print(("fuzz: seed %d, %d batches of %d calls, %d finished, %d stopped or stuck, %d unclear errors")
  :format(seed, batches, calls, finished, batches - finished, total_bad))
assert(total_bad == 0, "some rejections were not clear Lua errors")
print("fuzz ok")
