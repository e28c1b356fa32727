-- bridge.clash: holds its computer id for a while.
sleep(tonumber(...) or 1)
