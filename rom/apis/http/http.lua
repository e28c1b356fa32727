-- http: CC's http API. The native half (vm/lua/LibHttp.cpp) is asynchronous:
-- request, checkURL and websocket start something and an event tells how
-- it went. This file is called with that native table and returns the API
-- programs see, adding CC's synchronous functions, which wait for those
-- events as CC's own rom does: get, post, checkURL, websocket; and
-- CraftOS-PC's http.listen (a listener served by a callback).
local native = ...
local expect = require("cc.expect").expect

local http = {}
for name, fn in pairs(native) do http[name] = fn end

local nativeRequest, nativeCheckURL, nativeWebsocket = native.request, native.checkURL, native.websocket

local methods = {
  GET = true, POST = true, HEAD = true, OPTIONS = true,
  PUT = true, DELETE = true, PATCH = true, TRACE = true,
}

-- Checks an options table's field as CC's does, blaming the caller's caller.
local function checkKey(options, key, ty, opt)
  local value = options[key]
  local valueTy = type(value)
  if (value ~= nil or not opt) and valueTy ~= ty then
    error(("bad field '%s' (%s expected, got %s)"):format(key, ty, valueTy), 4)
  end
end

local function checkOptions(options, body)
  checkKey(options, "url", "string")
  if body == false then
    checkKey(options, "body", "nil")
  else
    checkKey(options, "body", "string", not body)
  end
  checkKey(options, "headers", "table", true)
  checkKey(options, "method", "string", true)
  checkKey(options, "redirect", "boolean", true)
  checkKey(options, "timeout", "number", true)
  if options.method and not methods[options.method] then error("Unsupported HTTP method", 3) end
end

-- Starts the request, then waits for its answer: the response, or nil, why
-- and the failing response when there is one (a 404's body).
local function wrapRequest(url, ...)
  local ok, err = nativeRequest(...)
  if not ok then return nil, err end
  while true do
    local event, param1, param2, param3 = os.pullEvent()
    if event == "http_success" and param1 == url then
      return param2
    elseif event == "http_failure" and param1 == url then
      return nil, param2, param3
    end
  end
end

function http.get(url, headers, binary)
  if type(url) == "table" then
    checkOptions(url, false)
    return wrapRequest(url.url, url)
  end
  expect(1, url, "string")
  expect(2, headers, "table", "nil")
  expect(3, binary, "boolean", "nil")
  return wrapRequest(url, url, nil, headers, binary)
end

function http.post(url, body, headers, binary)
  if type(url) == "table" then
    checkOptions(url, true)
    return wrapRequest(url.url, url)
  end
  expect(1, url, "string")
  expect(2, body, "string")
  expect(3, headers, "table", "nil")
  expect(4, binary, "boolean", "nil")
  return wrapRequest(url, url, body, headers, binary)
end

-- Asynchronous: http_success or http_failure follows, also for a URL that
-- cannot be requested at all (as CC's, which queues that failure itself).
function http.request(url, body, headers, binary)
  local target
  if type(url) == "table" then
    checkOptions(url)
    target = url.url
  else
    expect(1, url, "string")
    expect(2, body, "string", "nil")
    expect(3, headers, "table", "nil")
    expect(4, binary, "boolean", "nil")
    target = url
  end
  local ok, err = nativeRequest(url, body, headers, binary)
  if not ok then os.queueEvent("http_failure", target, err) end
  return ok, err
end

http.checkURLAsync = nativeCheckURL

function http.checkURL(url)
  expect(1, url, "string")
  local ok, err = nativeCheckURL(url)
  if not ok then return ok, err end
  while true do
    local _, checked, allowed, why = os.pullEvent("http_check")
    if checked == url then return allowed, why end
  end
end

-- The URL a websocket call names (its own, or its table's url field),
-- checked as CC's.
local function socketTarget(url, headers)
  if type(url) == "table" then
    checkKey(url, "url", "string")
    return url.url
  end
  expect(1, url, "string")
  expect(2, headers, "table", "nil")
  return url
end

function http.websocketAsync(url, headers)
  local target = socketTarget(url, headers)
  local ok, err = nativeWebsocket(url, headers)
  if not ok then os.queueEvent("websocket_failure", target, err) end
  return ok, err
end

function http.websocket(url, headers)
  local target = socketTarget(url, headers)
  local ok, err = nativeWebsocket(url, headers)
  if not ok then return ok, err end
  while true do
    local event, from, param = os.pullEvent()
    if event == "websocket_success" and from == target then
      return param
    elseif event == "websocket_failure" and from == target then
      return false, param
    end
  end
end

-- CraftOS-PC's http.listen(port, callback): serves port until the callback
-- returns true or a server_stop event comes; callback(request, response)
-- must close the response to send it.
function http.listen(port, callback)
  expect(1, port, "number")
  expect(2, callback, "function")
  http.addListener(port)
  while true do
    local event, at, request, response = os.pullEvent()
    if event == "server_stop" then break end
    if event == "http_request" and at == port then
      if callback(request, response) then break end
    end
  end
  http.removeListener(port)
end

return http
