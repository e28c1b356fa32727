-- Websockets against an echo server on loopback: text and binary messages,
-- receive with a timeout, the server closing, the program closing, the
-- message size limit, CC's limit of 4 open at once, and the events.
-- http-stand-in
-- moonbox-options: --http-allow 127.0.0.1
-- args: {port}
-- expect-out: websocket ok
-- expect-trace: "kind":"websocket_message"
local check = require("lib.check")
local port = ...
local url = "ws://127.0.0.1:" .. port .. "/ws"

local ws = assert(http.websocket(url))
ws.send("hello")
check.same({ ws.receive(5) }, { "hello", false }, "a text message echoed")
ws.send("\0\1\2\255", true)
check.same({ ws.receive(5) }, { "\0\1\2\255", true }, "a binary message echoed, bytes unchanged")
local long = ("0123456789"):rep(10000)
ws.send(long)
check.eq(ws.receive(5), long, "a 100,000-byte message")
check.eq(ws.receive(0.2), nil, "receive times out with nil")
check.raises("Message is too large", ws.send, ("x"):rep(128 * 1024 + 1))
-- the server closes: websocket_closed, and receive gives nil
ws.send("close")
local event, from, reason, code = os.pullEvent("websocket_closed")
check.same({ from, reason, code }, { url, "bye", 1000 }, "websocket_closed")
check.raises("attempt to use a closed file", ws.send, "x")

-- the asynchronous form
check.eq(http.websocketAsync(url), true, "websocketAsync")
local _, opened, handle = os.pullEvent("websocket_success")
check.eq(opened, url, "websocket_success's url")
handle.send("ping")
local _, at, message, binary = os.pullEvent("websocket_message")
check.same({ at, message, binary }, { url, "ping", false }, "websocket_message")
handle.close()
check.raises("attempt to use a closed file", handle.receive)

-- a message over 128 KiB from the server closes the socket
ws = assert(http.websocket(url))
ws.send("big")
check.eq(ws.receive(5), nil, "an oversized message ends the socket")

-- at most 4 open at once
local open = {}
for i = 1, 4 do open[i] = assert(http.websocket(url)) end
check.raises("Too many websockets already open", http.websocket, url)
for i = 1, 4 do open[i].close() end
ws = assert(http.websocket(url))
ws.close()

-- a server that is not there
check.same({ http.websocket("ws://127.0.0.1:1/") }, { false, "Could not connect" }, "no server")
check.same({ http.websocket("http://127.0.0.1/") }, { false, "Invalid scheme 'http'" }, "scheme")
print("websocket ok")
