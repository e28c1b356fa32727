-- label: the computer's label, or a floppy's in a disk drive, as CC's:
-- label get [drive], label set [drive] <text>, label clear [drive].
local args = { ... }

local function usage()
  print("Usages:")
  print("label get")
  print("label get <drive>")
  print("label set <text>")
  print("label set <drive> <text>")
  print("label clear")
  print("label clear <drive>")
end

-- True when `drive` names a disk drive with a disk in it; says why not.
local function has_disk(drive)
  if peripheral.getType(drive) ~= "drive" then
    print("No disk drive named " .. drive)
    return false
  end
  if not disk.hasData(drive) then
    print("No disk in " .. drive .. " drive")
    return false
  end
  return true
end

local function get(drive)
  local label, what
  if drive then
    if not has_disk(drive) then return end
    label, what = disk.getLabel(drive), "Disk"
  else
    label, what = os.getComputerLabel(), "Computer"
  end
  if label then print(what .. " label is \"" .. label .. "\"") else print("No " .. what .. " label") end
end

local function set(drive, text)
  local label, what
  if drive then
    if not has_disk(drive) then return end
    disk.setLabel(drive, text)
    label, what = disk.getLabel(drive), "Disk"
  else
    os.setComputerLabel(text)
    label, what = os.getComputerLabel(), "Computer"
  end
  if label then print(what .. " label set to \"" .. label .. "\"") else print(what .. " label cleared") end
end

local command = args[1]
if command == "get" and #args <= 2 then
  get(args[2])
elseif command == "set" and #args == 2 then
  set(nil, args[2])
elseif command == "set" and #args == 3 then
  set(args[2], args[3])
elseif command == "clear" and #args <= 2 then
  set(args[2], nil)
else
  usage()
end
