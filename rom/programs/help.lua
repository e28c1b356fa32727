-- help: what there is.
print("moonbox: every process is its own Lua state.")
print("Programs: ls cd cat cp mv rm mkdir pwd edit lua ps kill services stty clear help")
print("          reboot shutdown ipcdemo")
print("Jobs: cmd & | Ctrl+Z stops | jobs | fg [n] | bg [n] | Ctrl+C interrupts")
print("Ctrl+T terminates, Ctrl+V pastes, F2 saves a screenshot, F12 the debugger.")
