-- CC's rules for the http API. With the defaults, private, loopback and
-- link-local addresses are denied, also behind a name ("localhost"), and
-- nothing is sent. --http-deny comes before --http-allow: the server counts
-- the requests that reached it, and the denied one never did.
-- http-stand-in
-- moonbox-options: --http-deny localhost --http-allow 127.0.0.1
-- args: {port}
-- expect-out: http rules ok
local check = require("lib.check")
local port = ...

-- allowed by address
local r = assert(http.get("http://127.0.0.1:" .. port .. "/hello"))
r.close()
-- denied by name, although it is the same server
check.same({ http.get("http://localhost:" .. port .. "/secret") }, { nil, "Domain not permitted" }, "denied by name")
check.same({ http.checkURL("http://localhost:" .. port .. "/") }, { false, "Domain not permitted" }, "checkURL denied")
check.same({ http.websocket("ws://localhost:" .. port .. "/ws") }, { false, "Domain not permitted" }, "websocket denied")
-- the rest of the private ranges are still denied by the defaults
for _, host in ipairs({ "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.1.1", "[::1]", "100.64.0.1" }) do
  check.same({ http.checkURL("http://" .. host .. "/") }, { false, "Domain not permitted" }, host)
end
-- nothing reached the server for the denied request
r = assert(http.get("http://127.0.0.1:" .. port .. "/hits?path=/secret"))
check.eq(r.readAll(), "0", "requests that reached /secret")
print("http rules ok")
