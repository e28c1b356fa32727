-- sleep(seconds): CC's, built on a timer and os.pullEvent, so that it works
-- inside parallel and hand-written schedulers. As in CC, the system events
-- that arrive meanwhile are dropped (remote events stay queued);
-- system.process.sleep is the kernel's, which drops nothing.
local expect = require("cc.expect").expect
return function(time)
  expect(1, time, "number", "nil")
  local timer = os.startTimer(time or 0)
  repeat
    local _, id = os.pullEvent("timer")
  until id == timer
end
