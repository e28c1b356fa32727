-- motd: the message of the day, as CC's: a greeting on a few days of the
-- year, else a random line from the files of the motd.path setting.
local date = os.date("*t")
local greetings = {
  ["1/1"] = "Happy new year!",
  ["24/12"] = "Merry X-mas!",
  ["31/10"] = "OOoooOOOoooo! Spooky!",
  ["28/4"] = "Ed Balls",
}
local greeting = greetings[("%d/%d"):format(date.day or 0, date.month or 0)]
if greeting then
  print(greeting)
  return
end

local lines = {}
for path in settings.get("motd.path"):gmatch("[^:]+") do
  if fs.exists(path) and not fs.isDir(path) then
    for line in io.lines(path) do lines[#lines + 1] = line end
  end
end
if #lines > 0 then print(lines[math.random(1, #lines)]) end
