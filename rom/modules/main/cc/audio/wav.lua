--- cc.audio.wav: reads WAV files for a speaker, as CC's: PCM (unsigned
-- 8-bit, signed 16, 24 and 32-bit, 32-bit float) and DFPWM, plain or in
-- WAVE_FORMAT_EXTENSIBLE, with the LIST/INFO metadata. Samples come out as
-- CC's speakers take them: integers from -128 to 127, one table a channel.
local expect = require("cc.expect").expect
local dfpwm = require("cc.audio.dfpwm")

local wav = {}

-- The GUID tail of WAVE_FORMAT_EXTENSIBLE's sub-formats (the first two bytes
-- are the format code), and DFPWM's whole GUID.
local GUID_TAIL = "\0\0\0\0\16\0\128\0\0\170\0\56\155\113"
local DFPWM_GUID = "\58\193\250\56\129\29\67\97\164\13\206\83\202\96\124\209"

-- LIST/INFO fields, by their names in the metadata table; numeric ones are
-- numbers.
local INFO_FIELDS = {
  IART = "artist", ICMT = "comment", ICOP = "copyright", ICRD = "date", IGNR = "genre",
  INAM = "title", IPRD = "album", ISFT = "encoder", ITRK = "track", IENG = "engineer",
  ISBJ = "subject", IKEY = "keywords", ISRC = "source",
}
local NUMERIC = { date = true, track = true }

-- Each PCM codec: bytes a sample, and the sample at a position as -128..127.
local PCM = {
  u8 = { 1, function(data, pos) return data:byte(pos) - 128 end },
  s16 = { 2, function(data, pos) return string.unpack("<i2", data, pos) >> 8 end },
  s24 = { 3, function(data, pos) return string.unpack("<i3", data, pos) >> 16 end },
  s32 = { 4, function(data, pos) return string.unpack("<i4", data, pos) >> 24 end },
  f32 = { 4, function(data, pos)
    local v = string.unpack("<f", data, pos)
    return math.max(-128, math.min(127, math.floor(v * 128)))
  end },
}
-- >> is logical in Lua; these give the arithmetic shift a signed sample needs.
for _, codec in pairs({ "s16", "s24", "s32" }) do
  local bytes = PCM[codec][1]
  local shift = (bytes - 1) * 8
  PCM[codec][2] = function(data, pos) return string.unpack("<i" .. bytes, data, pos) // (1 << shift) end
end

local function parse_metadata(data, pos, finish)
  local metadata = {}
  if data:sub(pos, pos + 3) ~= "INFO" then return metadata end
  pos = pos + 4
  while pos + 8 <= finish do
    local id, size = data:sub(pos, pos + 3), string.unpack("<I4", data, pos + 4)
    local value = data:sub(pos + 8, pos + 7 + size):gsub("\0+$", "")
    local name = INFO_FIELDS[id]
    if name then metadata[name] = NUMERIC[name] and tonumber(value) or value end
    pos = pos + 8 + size + size % 2
  end
  return metadata
end

-- The codec name of a fmt chunk, or nil and why not.
local function codec_of(format, bits, ext)
  if format == 0xFFFE then
    if ext == DFPWM_GUID then return "dfpwm" end
    if not ext or ext:sub(3) ~= GUID_TAIL then return nil, "Unsupported WAV sub-format" end
    format = string.unpack("<I2", ext)
  end
  if format == 1 then
    local codec = ({ [8] = "u8", [16] = "s16", [24] = "s24", [32] = "s32" })[bits]
    if codec then return codec end
    return nil, "Unsupported PCM bit depth " .. bits
  elseif format == 3 and bits == 32 then
    return "f32"
  end
  return nil, "Unsupported WAV format " .. format
end

--- Reads a WAV file's contents.
-- @tparam string data The file's bytes.
-- @treturn table `codec`, `sampleRate`, `channels`, `length` (samples a
-- channel), `metadata`, and `read(count)`: the next `count` samples of each
-- channel (one table each), or nil at the end.
function wav.readWAV(data)
  expect(1, data, "string")
  if data:sub(1, 4) ~= "RIFF" or data:sub(9, 12) ~= "WAVE" then error("bad argument #1 (not a WAV file)", 2) end
  local pos = 13
  local codec, channels, sample_rate, block_align, length, fact
  local metadata = {}
  local data_start, data_size
  while pos + 8 <= #data + 1 do
    local id, size = data:sub(pos, pos + 3), string.unpack("<I4", data, pos + 4)
    local body = pos + 8
    if id == "fmt " then
      local format, bits
      format, channels, sample_rate, _, block_align, bits = string.unpack("<I2I2I4I4I2I2", data, body)
      local ext = size >= 40 and data:sub(body + 24, body + 39) or nil
      local err
      codec, err = codec_of(format, bits, ext)
      if not codec then error(err, 2) end
    elseif id == "fact" then
      fact = string.unpack("<I4", data, body)
    elseif id == "LIST" then
      metadata = parse_metadata(data, body, body + size)
    elseif id == "data" then
      data_start, data_size = body, math.min(size, #data - body + 1)
      break
    end
    pos = body + size + size % 2
  end
  if not codec then error("WAV file has no fmt chunk", 2) end
  if not data_start then error("WAV file has no data chunk", 2) end

  local read
  if codec == "dfpwm" then
    length = fact or data_size * 8 // channels
    local decoders = {}
    for c = 1, channels do decoders[c] = dfpwm.make_decoder() end
    local done = 0  -- samples a channel read so far
    local bits = {}  -- per channel, samples decoded but not yet handed out
    for c = 1, channels do bits[c] = {} end
    local next_byte = data_start
    read = function(count)
      expect(1, count, "number")
      if done >= length then return nil end
      count = math.min(count, length - done)
      -- Channels interleave byte by byte: 8 samples of one, then the next.
      while #bits[1] < count do
        for c = 1, channels do
          local decoded = decoders[c](data:sub(next_byte, next_byte))
          next_byte = next_byte + 1
          for _, s in ipairs(decoded) do bits[c][#bits[c] + 1] = s end
        end
      end
      local out = {}
      for c = 1, channels do
        out[c] = table.move(bits[c], 1, count, 1, {})
        bits[c] = table.move(bits[c], count + 1, #bits[c], 1, {})
      end
      done = done + count
      return table.unpack(out, 1, channels)
    end
  else
    local bytes, sample = PCM[codec][1], PCM[codec][2]
    local frame = block_align > 0 and block_align or bytes * channels
    length = data_size // frame
    local done = 0
    read = function(count)
      expect(1, count, "number")
      if done >= length then return nil end
      count = math.min(count, length - done)
      local out = {}
      for c = 1, channels do out[c] = {} end
      for i = 1, count do
        local at = data_start + (done + i - 1) * frame
        for c = 1, channels do out[c][i] = sample(data, at + (c - 1) * bytes) end
      end
      done = done + count
      return table.unpack(out, 1, channels)
    end
  end

  return {
    codec = codec, sampleRate = sample_rate, channels = channels, length = length,
    metadata = metadata, read = read,
  }
end

--- Reads a WAV file from the computer's files.
-- @tparam string path Where it is.
-- @treturn table What readWAV gives.
function wav.readWAVFile(path)
  expect(1, path, "string")
  local file, err = fs.open(path, "rb")
  if not file then error("Could not open file: " .. err, 2) end
  local data = file.readAll() or ""
  file.close()
  return wav.readWAV(data)
end

return wav
