-- reboot: restarts the computer.
print("Goodbye")
os.reboot()
