-- dj [play [drive] | stop]: plays a music disc in a disk drive, as CC's. (A
-- moonbox floppy holds data, never music: there is nothing to play.)
local args = {...}
local name = arg and arg[0] or "dj"
local function usage()
  print("Usages:")
  print(name .. " play")
  print(name .. " play <drive>")
  print(name .. " stop")
end

if #args > 2 then
  usage()
  return
end
local command = args[1]
if command == "stop" then
  for _, drive in ipairs(peripheral.getNames()) do
    if disk.isPresent(drive) and disk.hasAudio(drive) then disk.stopAudio(drive) end
  end
elseif command == "play" or command == nil then
  local drive = args[2]
  if drive == nil then
    local with_music = {}
    for _, side in ipairs(peripheral.getNames()) do
      if disk.isPresent(side) and disk.hasAudio(side) then with_music[#with_music + 1] = side end
    end
    if #with_music == 0 then
      print("No Music Discs in attached disk drives")
      return
    end
    drive = with_music[math.random(1, #with_music)]
  end
  if disk.isPresent(drive) and disk.hasAudio(drive) then
    print("Playing " .. disk.getAudioTitle(drive))
    disk.playAudio(drive)
  else
    print("No Music Disc in disk drive: " .. drive)
  end
else
  usage()
end
