-- Counts on the screen ten times a second, for the recording test.
term.clear()
for i = 1, 15 do
  term.setCursorPos(1, 1)
  term.setTextColour(2 ^ (i % 15))
  term.write("frame " .. i)
  sleep(0.1)
end
sleep(5)
