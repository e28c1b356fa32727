-- For the pty test of --cli: runs until Ctrl+C.
print("looping")
while true do sleep(0.1) end
