-- adventure: a small text adventure in a computer's workshop. Commands: look,
-- go <direction> (or n/s/e/w/up/down), take <thing>, drop <thing>, use
-- <thing>, inventory, help, quit.
local rooms = {
  hall = {
    text = "You are in the hall of an old workshop. Dust covers a rack of disks.",
    exits = {north = "lab", east = "store"},
    items = {"disk"},
  },
  lab = {
    text = "The lab hums. A computer glows on the bench; its screen asks for a disk.",
    exits = {south = "hall", up = "attic"},
    items = {},
  },
  store = {
    text = "Shelves of spare parts. It is too dark to see far.",
    dark = true,
    exits = {west = "hall"},
    items = {"key"},
  },
  attic = {
    text = "A locked chest sits under the roof window.",
    exits = {down = "lab"},
    items = {},
    locked = true,
  },
}
local carrying = {lamp = true}
local here = "hall"
local booted, won = false, false
local short = {n = "north", s = "south", e = "east", w = "west", u = "up", d = "down"}

local function describe()
  local room = rooms[here]
  if room.dark and not carrying.lamp then
    print("It is dark. You might trip over something.")
    return
  end
  print(room.text)
  if #room.items > 0 then print("You see: " .. table.concat(room.items, ", ") .. ".") end
  local exits = {}
  for dir in pairs(room.exits) do exits[#exits + 1] = dir end
  table.sort(exits)
  print("Exits: " .. table.concat(exits, ", ") .. ".")
end

local function remove(list, item)
  for i, v in ipairs(list) do
    if v == item then table.remove(list, i) return true end
  end
  return false
end

local actions = {}
function actions.look() describe() end
function actions.inventory()
  local items = {}
  for item in pairs(carrying) do items[#items + 1] = item end
  table.sort(items)
  print(#items > 0 and "You carry: " .. table.concat(items, ", ") .. "." or "You carry nothing.")
end
function actions.go(dir)
  dir = short[dir] or dir
  local target = dir and rooms[here].exits[dir]
  if not target then print("You cannot go that way.") return end
  if target == "attic" and not booted then print("The hatch to the attic is shut. Perhaps the computer opens it.") return end
  here = target
  describe()
end
function actions.take(item)
  if rooms[here].dark and not carrying.lamp then print("You cannot see it.") return end
  if item and remove(rooms[here].items, item) then
    carrying[item] = true
    print("Taken.")
  else
    print("There is no " .. tostring(item) .. " here.")
  end
end
function actions.drop(item)
  if item and carrying[item] then
    carrying[item] = nil
    table.insert(rooms[here].items, item)
    print("Dropped.")
  else
    print("You do not have that.")
  end
end
function actions.use(item)
  if not carrying[item or ""] then print("You do not have that.") return end
  if item == "disk" and here == "lab" then
    booted = true
    print("The computer reads the disk and prints: HATCH OPEN. A ladder unfolds upward.")
  elseif item == "key" and here == "attic" then
    won = true
    print("The chest opens. Inside: a golden turtle. You win!")
  else
    print("Nothing happens.")
  end
end
function actions.help() print("look, go <dir>, take <x>, drop <x>, use <x>, inventory, quit") end

print("ADVENTURE in the workshop. Type help for commands.")
describe()
local history = {}
while not won do
  write("> ")
  local line = read(nil, history)
  if not line then break end
  history[#history + 1] = line
  local verb, noun = line:lower():match("^%s*(%S+)%s*(%S*)")
  if verb == "quit" or verb == "exit" then break end
  if short[verb or ""] then verb, noun = "go", verb end
  if verb == "i" then verb = "inventory" end
  if verb == "l" then verb = "look" end
  local action = verb and actions[verb]
  if action then action(noun ~= "" and noun or nil)
  elseif verb then print("I don't know how to " .. verb .. ".") end
end
