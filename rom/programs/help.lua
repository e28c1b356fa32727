-- help [topic]: shows a help page from /rom/help ("help" alone: intro).
local args = {...}
local topic = args[1] or "intro"
if topic == "index" then
  print("Help topics available:")
  textutils.pagedTabulate(help.topics())
  return
end
local file = help.lookup(topic)
if not file then
  printError("No help available")
  return
end
local h = fs.open(file, "r")
local text = h.readAll()
h.close()
textutils.pagedPrint(text)
