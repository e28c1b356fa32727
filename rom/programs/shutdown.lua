-- shutdown: turns the computer off (closes the window).
print("Goodbye")
os.shutdown()
