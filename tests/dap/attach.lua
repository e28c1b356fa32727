-- For gui.dap_attach: a window's program that a DAP client attaches to.
local n = 0
while true do
  n = n + 1
  local shown = "tick " .. n
  print(shown)
  sleep(0.05)
end
