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
print("default rules ok")
