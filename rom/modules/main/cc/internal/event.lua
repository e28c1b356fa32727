--- Internal helpers for events, as CC:Tweaked's cc.internal.event.
--
-- A program that ends when a key is pressed (worm's Q, edit's "Press any
-- key") must also take the char event that follows that key, or it is typed
-- into whatever reads next (the shell's prompt).

local M = {}

--- Discards the char event that follows a key event: waits for the next
-- char, key or key_up event (dropping it), or for one CC tick (50 ms) when
-- there is none (a key with no text, such as Enter). The window may deliver
-- a key's text a frame after the key itself.
function M.discard_char()
  local timer = os.startTimer(0.05)
  while true do
    local event, id = os.pullEvent()
    if event == "timer" and id == timer then return end
    if event == "char" or event == "key" or event == "key_up" then
      os.cancelTimer(timer)
      return
    end
  end
end

return M
