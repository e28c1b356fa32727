-- fg PROGRAM ARGS: opens a multishell tab running the program, in front (a
-- new shell tab without one), as CC's. (At moonbox's shell prompt, fg is
-- also job control: the shell's own fg comes first; see "help jobs".)
if not shell.openTab then
  printError("Requires multishell")
  return
end
local tab
if select("#", ...) > 0 then tab = shell.openTab(...) else tab = shell.openTab("shell") end
if tab then shell.switchTab(tab) end
