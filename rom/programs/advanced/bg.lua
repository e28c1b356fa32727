-- bg PROGRAM ARGS: opens a multishell tab running the program, behind (a new
-- shell tab without one), as CC's. (At moonbox's shell prompt, bg is also
-- job control: the shell's own bg comes first; see "help jobs".)
if not shell.openTab then
  printError("Requires multishell")
  return
end
if select("#", ...) > 0 then shell.openTab(...) else shell.openTab("shell") end
