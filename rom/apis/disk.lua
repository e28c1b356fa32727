-- disk: CC's disk API over drive peripherals. For a name with no drive on
-- it, each function answers as CC does (false, nil, or nothing).
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")).expect

local disk = {}

local function isDrive(name)
  expect(1, name, "string")
  return peripheral.getType(name) == "drive"
end

local function ask(name, method, otherwise)
  if isDrive(name) then return peripheral.call(name, method) end
  return otherwise
end

function disk.isPresent(name) return ask(name, "isDiskPresent", false) end
function disk.getLabel(name) return ask(name, "getDiskLabel", nil) end
function disk.hasData(name) return ask(name, "hasData", false) end
function disk.getMountPath(name) return ask(name, "getMountPath", nil) end
function disk.hasAudio(name) return ask(name, "hasAudio", false) end
function disk.getAudioTitle(name) return ask(name, "getAudioTitle", nil) end
function disk.playAudio(name) ask(name, "playAudio") end
function disk.eject(name) ask(name, "ejectDisk") end
function disk.getID(name) return ask(name, "getDiskID", nil) end

function disk.setLabel(name, label)
  expect(2, label, "string", "nil")
  if isDrive(name) then peripheral.call(name, "setDiskLabel", label) end
end

-- stopAudio() stops every drive; stopAudio(name) one.
function disk.stopAudio(name)
  if name == nil then
    for _, side in ipairs(peripheral.getNames()) do
      if peripheral.getType(side) == "drive" then peripheral.call(side, "stopAudio") end
    end
    return
  end
  ask(name, "stopAudio")
end

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(disk) do _ENV[k] = v end end
return disk
