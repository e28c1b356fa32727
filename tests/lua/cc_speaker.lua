-- The speaker peripheral, silent in headless mode: playNote, playSound,
-- playAudio with its buffer and speaker_audio_empty, and CC's errors; and
-- cc.audio.dfpwm turning PCM into DFPWM and back.
-- expect-out: done
local check = require("lib.check")
local dfpwm = require("cc.audio.dfpwm")

assert(periphemu.create("right", "speaker"))
local s = peripheral.wrap("right")

check.eq(s.playNote("harp"), true)
check.eq(s.playNote("bit", 3, 24), true)
check.eq(s.playNote("bass", 10, -5), true)  -- clamped, as CC's
check.raises('Invalid instrument, "kazoo"!', s.playNote, "kazoo")
check.raises("bad argument #1 (string expected, got nil)", s.playNote)
check.raises("bad argument #2 (number expected, got string)", s.playNote, "harp", "loud")
-- at most 8 notes a tick
local played = 0
for _ = 1, 20 do if s.playNote("pling") then played = played + 1 end end
check.truthy(played < 20, "some notes refused in one tick")

check.eq(s.playSound("minecraft:entity.creeper.primed"), true)
check.raises("Malformed sound name", s.playSound, "Not A Sound!")

-- playAudio: 48 kHz samples from -128 to 127
check.raises("Cannot play empty audio", s.playAudio, {})
check.raises("bad argument #1 (table expected, got nil)", s.playAudio)
check.raises("table item #2 must be between -128 and 127", s.playAudio, {0, 200})
check.raises("table item #1 is not a number", s.playAudio, {"a"})
check.raises("Audio data is too large", s.playAudio, setmetatable({}, {__len = function() return 200000 end}))

-- a stream: 1 s buffers; the speaker takes one while less than 0.5 s is
-- queued, and says when it has room again
local buffer = {}
for i = 1, 48000 do buffer[i] = math.floor(math.sin(i / 10) * 100) end
check.eq(s.playAudio(buffer), true)
check.eq(s.playAudio(buffer), false)  -- full
local started = os.clock()
check.eq(select(2, os.pullEvent("speaker_audio_empty")), "right")
check.eq(s.playAudio(buffer), true)
check.truthy(os.clock() - started > 0.2, "speaker_audio_empty came when the buffer drained")
s.stop()
check.eq(s.playAudio(buffer), true)

-- DFPWM: 8 samples a byte, and a decoded wave follows the original
local encoder, decoder = dfpwm.make_encoder(), dfpwm.make_decoder()
local wave = {}
for i = 1, 8000 do wave[i] = math.floor(math.sin(i / 20) * 100) end
local encoded = encoder(wave)
check.eq(#encoded, 1000)
local decoded = decoder(encoded)
check.eq(#decoded, 8000)
local error_sum = 0
for i = 1, 8000 do error_sum = error_sum + math.abs(decoded[i] - wave[i]) end
check.truthy(error_sum / 8000 < 40, "decoded close to the original: " .. error_sum / 8000)
check.eq(s.playAudio(decoded), false)  -- still full of the last buffer
print("done")
