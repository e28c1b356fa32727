--- cc.audio.dfpwm: the DFPWM1a audio codec (1 bit per sample) that CC's
-- speakers and disks use. Samples are integers from -128 to 127.
local expect = require("cc.expect").expect

local dfpwm = {}

local PREC = 10
local ONE = 1 << PREC

-- The predictor shared by both directions: the charge follows the bits, with
-- a strength that grows while bits repeat. // is an arithmetic shift here.
local function make_predictor()
  local charge, strength, last = 0, 0, false
  return function(bit)
    local target = bit and 127 or -128
    local next_charge = charge + (strength * (target - charge) + (ONE >> 1)) // ONE
    if next_charge == charge and next_charge ~= target then next_charge = next_charge + (bit and 1 or -1) end
    local z = bit == last and ONE - 1 or 0
    local next_strength = strength
    if next_strength ~= z then next_strength = next_strength + (bit == last and 1 or -1) end
    if next_strength < 2 << (PREC - 8) then next_strength = 2 << (PREC - 8) end
    charge, strength, last = next_charge, next_strength, bit
    return charge
  end
end

--- An encoder: a function from a table of samples to a string of bytes (8
-- samples a byte). Keep one per stream.
function dfpwm.make_encoder()
  local predict = make_predictor()
  local charge = 0
  return function(input)
    expect(1, input, "table")
    local out = {}
    for i = 1, #input, 8 do
      local byte = 0
      for j = 0, 7 do
        local sample = math.floor(input[i + j] or 0)
        local bit = sample > charge or (sample == charge and charge == 127)
        byte = (byte >> 1) + (bit and 128 or 0)
        charge = predict(bit)
      end
      out[#out + 1] = string.char(byte)
    end
    return table.concat(out)
  end
end

--- A decoder: a function from a string of bytes to a table of samples.
function dfpwm.make_decoder()
  local predict = make_predictor()
  local low_pass, last_charge, last_bit = 0, 0, false
  return function(input)
    expect(1, input, "string")
    local out, n = {}, 0
    for i = 1, #input do
      local byte = input:byte(i)
      for _ = 1, 8 do
        local bit = byte & 1 ~= 0
        local charge = predict(bit)
        local smoothed = charge
        if bit ~= last_bit then smoothed = (charge + last_charge + 1) // 2 end
        last_charge, last_bit = charge, bit
        -- DFPWM1a's output filter: 140/256 of the way, rounded
        low_pass = low_pass + ((smoothed - low_pass) * 140 + 128) // 256
        n = n + 1
        out[n] = low_pass
        byte = byte >> 1
      end
    end
    return out
  end
end

--- Encodes a whole table of samples with a fresh encoder.
function dfpwm.encode(input)
  expect(1, input, "table")
  return dfpwm.make_encoder()(input)
end

--- Decodes a whole string with a fresh decoder.
function dfpwm.decode(input)
  expect(1, input, "string")
  return dfpwm.make_decoder()(input)
end

return dfpwm
