-- cc.base64 and cc.audio.wav (and the DFPWM decoder they share with
-- speakers), as CC's: RFC 4648 with an alphabet tail and validation; WAV's
-- PCM and DFPWM codecs, WAVE_FORMAT_EXTENSIBLE, LIST/INFO metadata.
-- expect-out: modules ok
local check = require("lib.check")

local base64 = require("cc.base64")
check.eq(base64.encode(""), "")
check.eq(base64.encode("light w"), "bGlnaHQgdw==")
check.eq(base64.encode("light wo"), "bGlnaHQgd28=")
check.eq(base64.encode("light wor"), "bGlnaHQgd29y")
check.eq(base64.encode("Test: \255\230"), "VGVzdDog/+Y=")
check.eq(base64.encode("Test: \255\230", "-_"), "VGVzdDog_-Y=")
check.eq(base64.decode("bGlnaHQgdw=="), "light w")
check.eq(base64.decode("VGVzdDog_-Y=", "-_"), "Test: \255\230")
for _, bad in ipairs({ "VGVzdDog/+Y", "VGVzdDog/+Y==", "VGVzdDog/=Y=", "VGVzdDog/===", "VGVz*Dog" }) do
  check.same({ base64.decode(bad) }, { nil, "input is not valid base64" }, bad)
end
check.raises("bad argument #1 (string expected, got number)", base64.encode, 2)
check.raises("bad argument #2 (string expected, got number)", base64.decode, "", 2)
check.raises("alt_chars must be exactly two characters", base64.encode, "", "")
for _ = 1, 200 do
  local bytes = {}
  for i = 1, math.random(200) do bytes[i] = string.char(math.random(0, 255)) end
  local s = table.concat(bytes)
  check.eq(base64.decode(base64.encode(s)), s)
end

local wav = require("cc.audio.wav")
local u8 = wav.readWAV("RIFF\44\0\0\0WAVEfmt \16\0\0\0\1\0\1\0\x44\xAC\0\0\x44\xAC\0\0\1\0\8\0data\8\0\0\0\x7C\x7D\x7E\x7F\x80\x81\x82\x83")
check.same({ u8.codec, u8.length, u8.channels, u8.sampleRate }, { "u8", 8, 1, 44100 })
check.same(u8.read(8), { -4, -3, -2, -1, 0, 1, 2, 3 })
check.eq(u8.read(1), nil, "finished")
local s16 = wav.readWAV("RIFF\68\0\0\0WAVEfmt \16\0\0\0\1\0\2\0\x80\xBB\0\0\0\xEE\2\0\4\0\16\0data\32\0\0\0\0\xFC\0\3\0\xFD\0\2\0\xFE\0\1\0\xFF\0\0\0\0\0\xFF\0\1\0\xFE\0\2\0\xFD\0\3\0\xFC")
check.same({ s16.codec, s16.length, s16.channels, s16.sampleRate }, { "s16", 8, 2, 48000 })
local left, right = s16.read(8)
check.same(left, { -4, -3, -2, -1, 0, 1, 2, 3 })
check.same(right, { 3, 2, 1, 0, -1, -2, -3, -4 })
local dfpwm_wav = wav.readWAV("RIFF\27\1\0\0WAVEfmt \x28\x00\x00\x00\xFE\xFF\x01\x00\x80\xBB\x00\x00\x70\x17\x00\x00\x01\x00\x01\x00\x16\x00\x01\x00\x01\x00\x00\x00\x3A\xC1\xFA\x38\x81\x1D\x43\x61\xA4\x0D\xCE\x53\xCA\x60\x7C\xD1\x66\x61\x63\x74\x04\x00\x00\x00\x00\x04\x00\x00\x4C\x49\x53\x54\x4A\x00\x00\x00\x49\x4E\x46\x4F\x49\x41\x52\x54\x05\x00\x00\x00\x74\x65\x73\x74\x00\x00\x49\x43\x52\x44\x05\x00\x00\x00\x32\x30\x32\x34\x00\x00\x49\x50\x52\x44\x0C\x00\x00\x00\x43\x43\x3A\x20\x54\x77\x65\x61\x6B\x65\x64\x00\x49\x53\x46\x54\x0E\x00\x00\x00\x4C\x61\x76\x66\x35\x39\x2E\x31\x38\x2E\x31\x30\x30\x00data\128\0\0\0\43\225\33\44\30\240\171\23\253\201\46\186\68\189\74\160\188\16\94\169\251\87\11\240\19\92\85\185\126\5\172\64\17\250\85\245\255\169\244\1\85\200\33\176\82\104\163\17\126\23\91\226\37\224\117\184\198\11\180\19\148\86\191\246\255\188\231\10\210\85\124\202\15\232\43\162\117\63\220\15\250\88\87\230\173\106\41\13\228\143\246\190\119\169\143\68\201\40\149\62\20\72\3\160\114\169\254\39\152\30\20\42\84\24\47\64\43\61\221\95\191\42\61\42\206\4\247\81")
check.same({ dfpwm_wav.codec, dfpwm_wav.length, dfpwm_wav.channels, dfpwm_wav.sampleRate }, { "dfpwm", 1024, 1, 48000 })
check.same(dfpwm_wav.metadata, { artist = "test", date = 2024, album = "CC: Tweaked", encoder = "Lavf59.18.100" })
local samples = dfpwm_wav.read(1024)
check.eq(#samples, 1024)
check.eq(dfpwm_wav.read(1), nil, "finished")
-- DFPWM1a's decoder, filter included: the first and last samples of this data
check.same(table.move(samples, 1, 20, 1, {}), { 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, -1, -2, -2, -1, 0, 1, 0, -1, -3 })
check.same(table.move(samples, 1015, 1024, 1, {}), { 3, 5, 7, 7, 5, 3, 3, 3, 3, 3 })
check.raises("not a WAV file", wav.readWAV, "RIFX")
print("modules ok")
