-- programs [all]: the programs on the shell's path.
local args = {...}
textutils.pagedTabulate(shell.programs(args[1] == "all"))
