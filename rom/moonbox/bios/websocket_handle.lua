-- A websocket handle's receive(timeout), as CC's: the next message that
-- arrives on this socket's URL (message, isBinary), or nil when the socket
-- closes or the timeout passes. Called by vm/lua/LibHttp.cpp with the
-- handle, its URL and a function telling whether it is still open.
local handle, url, is_open = ...

function handle.receive(timeout)
  if timeout ~= nil and type(timeout) ~= "number" then
    error("bad argument #1 (number expected, got " .. type(timeout) .. ")", 2)
  end
  if not is_open() then error("attempt to use a closed file", 2) end
  local timer = timeout and os.startTimer(timeout)
  while true do
    local event, p1, p2, p3 = os.pullEvent()
    if event == "websocket_message" and p1 == url then
      if timer then os.cancelTimer(timer) end
      return p2, p3
    elseif event == "websocket_closed" and p1 == url and not is_open() then
      if timer then os.cancelTimer(timer) end
      return nil
    elseif event == "timer" and p1 == timer then
      return nil
    end
  end
end
