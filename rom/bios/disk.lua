-- disk: CC's disk API over drive peripherals. No drive is attached yet, so
-- each function answers as CC does for a side without a drive.
local expect = require("cc.expect").expect

local disk = {}

local function check(name) expect(1, name, "string") end

function disk.isPresent(name) check(name) return false end
function disk.getLabel(name) check(name) return nil end
function disk.setLabel(name, label) check(name) expect(2, label, "string", "nil") end
function disk.hasData(name) check(name) return false end
function disk.getMountPath(name) check(name) return nil end
function disk.hasAudio(name) check(name) return false end
function disk.getAudioTitle(name) check(name) return nil end
function disk.playAudio(name) check(name) end
function disk.stopAudio(name) check(name) end
function disk.eject(name) check(name) end
function disk.getID(name) check(name) return nil end

return disk
