-- motd: a random line from the message-of-the-day files.
local lines = {}
for path in settings.get("motd.path"):gmatch("[^:]+") do
  if fs.exists(path) then
    for line in io.lines(path) do lines[#lines + 1] = line end
  end
end
if #lines > 0 then print(lines[math.random(1, #lines)]) end
