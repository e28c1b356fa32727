-- CC's http API against a web server on loopback (tests/support/http_stand_in.py),
-- allowed with --http-allow 127.0.0.1: get, post with headers, binary bodies,
-- redirects, a 404 with its body, a timeout, a body over the size limit,
-- checkURL, the asynchronous forms and their events, and CC's words.
-- http-stand-in
-- moonbox-options: --http-allow 127.0.0.1
-- args: {port}
-- expect-out: http api ok
-- expect-trace: "kind":"http_request"
-- expect-trace: "kind":"http_response"
-- expect-trace: "status":200
local check = require("lib.check")
local port = ...
local base = "http://127.0.0.1:" .. port

-- get: body, code and message, headers; the handle reads like a file's
local r = assert(http.get(base .. "/hello"))
local code, message = r.getResponseCode()
check.eq(code, 200, "code")
check.eq(message, "OK", "message")
check.eq(r.getResponseHeaders()["X-Stand-In"], "yes", "a response header")
check.eq(r.readLine(), "Hello, world!", "readLine")
check.eq(r.readLine(), nil, "readLine at the end")
check.eq(r.readAll(), "", "readAll at the end")
r.close()
check.raises("attempt to use a closed file", r.readAll)
r = assert(http.get(base .. "/hello"))
check.eq(r.read(5), "Hello", "read(5)")
check.eq(r.read(), ",", "read() in text mode")
check.eq(r.seek("set", 0), 0, "seek")
check.eq(r:readAll(), "Hello, world!\n", "readAll with a colon call")
r.close()

-- post with headers: the server sees them, and CC's default headers
r = assert(http.post(base .. "/echo", "a=1&b=2", { ["X-Custom"] = "custom value" }))
local echo = textutils.unserialiseJSON(r.readAll())
r.close()
check.eq(echo.method, "POST", "method")
check.eq(echo.body, "a=1&b=2", "body")
check.eq(echo.headers["X-Custom"], "custom value", "request header")
check.eq(echo.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8", "default content type")
check.truthy(echo.headers["User-Agent"]:find("computercraft", 1, true), "user agent")

-- the table form, with another method
r = assert(http.get({ url = base .. "/echo", method = "PATCH", headers = { A = "b" } }))
echo = textutils.unserialiseJSON(r.readAll())
check.eq(echo.method, "PATCH", "method from the table")
check.eq(echo.headers.A, "b", "headers from the table")
r = assert(http.post({ url = base .. "/echo", body = "\0\1\2\255", binary = true }))
check.eq(textutils.unserialiseJSON(r.readAll()).body_hex, "000102ff", "a binary request body, bytes unchanged")

-- binary responses: bytes unchanged, read() gives a number
r = assert(http.get(base .. "/binary", nil, true))
check.eq(r.read(), 0, "binary read() gives a byte")
local rest = r.readAll()
check.eq(#rest, 255, "binary length")
for i = 1, 255 do check.eq(rest:byte(i), i, "byte " .. i) end
r.close()
r = assert(http.get(base .. "/binary"))
local all = r.readAll()
check.eq(#all, 256, "text mode keeps bytes too")
check.eq(all:byte(256), 255, "last byte in text mode")

-- redirects: followed by default, not with redirect = false; 303 turns into GET
r = assert(http.get(base .. "/redirect"))
check.eq(r.readAll(), "Hello, world!\n", "redirect followed")
r = assert(http.get({ url = base .. "/redirect", redirect = false }))
check.eq(r.getResponseCode(), 302, "redirect not followed")
check.eq(r.getResponseHeaders().Location, "/hello", "its Location")
r = assert(http.post(base .. "/redirect303", "x"))
check.eq(textutils.unserialiseJSON(r.readAll()).method, "GET", "303 becomes GET")

-- a 404: nil, the reason, and the response with its body
local none, why, failed = http.get(base .. "/missing")
check.eq(none, nil, "404 gives nil")
check.eq(why, "Not Found", "404's reason")
check.eq(failed.getResponseCode(), 404, "the failing response's code")
check.eq(failed.readAll(), "There is nothing here.\n", "the failing response's body")

-- a timeout
local t0 = os.epoch("utc")
none, why = http.get({ url = base .. "/slow?seconds=3", timeout = 0.5 })
check.eq(none, nil, "timed out")
check.eq(why, "Timed out", "timeout words")
check.truthy(os.epoch("utc") - t0 < 2900, "the timeout ended the wait")
check.raises("timeout out of range", http.request, { url = base .. "/hello", timeout = 61 })

-- a body over the 16 MiB limit
none, why = http.get(base .. "/big?bytes=" .. (16 * 1024 * 1024 + 1))
check.eq(none, nil, "too large")
check.eq(why, "Response is too large", "too large words")
r = assert(http.get(base .. "/big?bytes=100000"))
check.eq(#r.readAll(), 100000, "a large body under the limit")
r.close()

-- URLs that cannot be requested
check.same({ http.get("not a url") }, { nil, "Must specify http or https" }, "no scheme")
check.same({ http.get("ftp://example.com/x") }, { nil, "Invalid protocol 'ftp'" }, "ftp")
check.same({ http.checkURL("http://") }, { false, "URL malformed" }, "no host")
check.same({ http.checkURL(base .. "/") }, { true }, "checkURL")
check.raises("bad argument #1 (string expected, got nil)", http.get)
check.raises("bad argument #2 (table expected, got number)", http.get, base, 1)
check.raises("bad field 'url' (string expected, got nil)", http.get, {})
check.raises("Unsupported HTTP method", http.request, { url = base, method = "CONNECT" })

-- the asynchronous forms and their events
check.eq(http.request(base .. "/hello"), true, "request returns true")
local event, url, handle = os.pullEvent("http_success")
check.eq(url, base .. "/hello", "http_success's url")
check.eq(handle.readAll(), "Hello, world!\n", "http_success's handle")
http.request("gopher://x")
event, url, why = os.pullEvent("http_failure")
check.same({ url, why }, { "gopher://x", "Invalid protocol 'gopher'" }, "a refused request's failure event")
check.eq(http.checkURLAsync(base .. "/"), true, "checkURLAsync")
local _, checked, ok = os.pullEvent("http_check")
check.same({ checked, ok }, { base .. "/", true }, "http_check")

-- many at once: CC queues past its 16, and all complete
for i = 1, 20 do http.request(base .. "/hello?n=" .. i) end
local seen = 0
while seen < 20 do
  local e, u, h = os.pullEvent()
  if e == "http_success" and u:find("?n=", 1, true) then
    h.close()
    seen = seen + 1
  elseif e == "http_failure" then
    error("failed: " .. tostring(u) .. " " .. tostring(h))
  end
end

print("http api ok")
