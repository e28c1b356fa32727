-- exit: leaves the shell that ran it.
shell.exit()
