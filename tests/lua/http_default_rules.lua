-- The default rules alone: the loopback server is denied by address and by
-- a name that resolves to it (the DNS case), with CC's words; a redirect
-- cannot lead there either; and nothing was sent.
-- http-stand-in
-- args: {port}
-- expect-out: default rules ok
local check = require("lib.check")
local port = ...
for _, url in ipairs({ "http://127.0.0.1:" .. port .. "/secret", "http://localhost:" .. port .. "/secret" }) do
  check.same({ http.get(url) }, { nil, "Domain not permitted" }, url)
  check.same({ http.checkURL(url) }, { false, "Domain not permitted" }, "checkURL " .. url)
end
http.request("http://localhost:" .. port .. "/secret")
local event, url, why = os.pullEvent()
check.same({ event, why }, { "http_failure", "Domain not permitted" }, "the asynchronous failure")
check.same({ http.websocket("ws://127.0.0.1:" .. port .. "/ws") }, { false, "Domain not permitted" }, "websocket")
-- CC's own spec's words for URLs that cannot be requested
check.same({ http.checkURL("google.com") }, { false, "Must specify http or https" }, "no scheme")
check.same({ http.checkURL("https:google.com") }, { false, "URL malformed" }, "opaque")
check.same({ http.checkURL("https:/google.com") }, { false, "URL malformed" }, "no host")
check.same({ http.checkURL("wss://google.com") }, { false, "Invalid protocol 'wss'" }, "wss for http")
check.same({ http.checkURL("http://localhost") }, { false, "Domain not permitted" }, "localhost")
http.websocketAsync("http://not.a.websocket")
local _, wurl, wmessage = os.pullEvent("websocket_failure")
check.same({ wurl, wmessage }, { "http://not.a.websocket", "Invalid scheme 'http'" }, "websocketAsync's failure")
http.request("ws://not.a.request")
local _, rurl, rmessage = os.pullEvent("http_failure")
check.same({ rurl, rmessage }, { "ws://not.a.request", "Invalid protocol 'ws'" }, "request's failure")
print("default rules ok")
