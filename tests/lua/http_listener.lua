-- CraftOS-PC's http.addListener: the computer serves HTTP on 127.0.0.1. A
-- request arrives as http_request(port, request, response); the program
-- answers through the response handle, sent when closed. Here the same
-- process asks (one coroutine) and answers (another).
-- moonbox-options: --http-allow 127.0.0.1
-- http-stand-in
-- args: {port2}
-- expect-out: listener ok
local check = require("lib.check")
local port = tonumber(...)
local url = "http://127.0.0.1:" .. port

http.addListener(port)
check.raises("already in use", http.addListener, port)
check.raises("bad argument #1 (port out of range)", http.addListener, 70000)

local answered = {}
local function serve(count)
  for _ = 1, count do
    local _, at, request, response = os.pullEvent("http_request")
    check.eq(at, port, "the event's port")
    answered[#answered + 1] = request.getMethod() .. " " .. request.getURL()
    local body = request.readAll()
    response.setStatusCode(request.getURL() == "/teapot" and 418 or 201)
    response.setResponseHeader("X-Served-By", "moonbox")
    response.write("you sent: ")
    response.writeLine(body)
    response.close()
    check.raises("attempt to use a closed file", response.write, "x")
  end
end

local results = {}
parallel.waitForAll(function() serve(2) end, function()
  local r = assert(http.post(url .. "/path?q=1", "data", { ["X-Test"] = "1" }))
  results.code = r.getResponseCode()
  results.header = r.getResponseHeaders()["X-Served-By"]
  results.body = r.readAll()
  local _, why, failed = http.get(url .. "/teapot")
  results.teapot = { why, failed and failed.getResponseCode() }
end)
check.eq(results.code, 201, "the status the program set")
check.eq(results.header, "moonbox", "the header the program set")
check.eq(results.body, "you sent: data\n", "the body the program wrote")
check.eq(results.teapot[2], 418, "a failing status")
check.same(answered, { "POST /path?q=1", "GET /teapot" }, "the requests as the program saw them")

-- after removeListener, nobody answers on the port
http.removeListener(port)
local none, why = http.get(url .. "/")
check.eq(none, nil, "no listener")
check.eq(why, "Could not connect", "no listener's words")

-- the simple interface: http.listen(port, callback) until it returns true
parallel.waitForAll(function()
  http.listen(port, function(request, response)
    response.write("simple " .. request.getURL())
    response.close()
    return true
  end)
end, function()
  local r = assert(http.get(url .. "/x"))
  results.simple = r.readAll()
end)
check.eq(results.simple, "simple /x", "http.listen")
print("listener ok")
