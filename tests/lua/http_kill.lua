-- Killing a process mid-download cancels its request: the server sees the
-- connection go, and the computer goes on (another request works).
-- http-stand-in
-- moonbox-options: --http-allow 127.0.0.1
-- args: {port}
-- expect-out: kill ok
local check = require("lib.check")
local process = require("system.process")
local ipc = require("system.ipc")
local port = ...
local base = "http://127.0.0.1:" .. port

local function status()
  local r = assert(http.get(base .. "/slow_status"))
  local s = r.readAll()
  r.close()
  return s
end

local child = assert(process.startString("http.get(...)", "downloader", base .. "/slow?seconds=20"))
-- wait until the server is sending to it
local deadline = os.clock() + 10
while status() ~= "started" do
  check.truthy(os.clock() < deadline, "the download started")
  sleep(0.05)
end
ipc.kill(child, ipc.signal.SIGKILL)
process.wait(child, 10)
deadline = os.epoch("utc") + 10000
while status() ~= "aborted" do
  check.truthy(os.epoch("utc") < deadline, "the server saw the connection go")
  sleep(0.05)
end
local r = assert(http.get(base .. "/hello"))
check.eq(r.readAll(), "Hello, world!\n", "the computer goes on")
print("kill ok")
