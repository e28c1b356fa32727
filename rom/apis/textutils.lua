-- textutils: CC's text helpers: serialisation (Lua and JSON), paged and slow
-- output, tables of columns, time formatting, URL encoding and completion.
-- Numbers are written as CC writes them (1, not 1.0): see README.
local expect = (require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua"))
local field = expect.field
expect = expect.expect

local textutils = {}

-- A number as CC's Lua writes it.
local function number_text(n)
  if n ~= n then return "nan" end
  if math.type(n) == "float" and n == math.floor(n) and n > -2^63 and n < 2^63 then
    return string.format("%d", n)
  end
  return tostring(n)
end

-- ------------------------------------------------------------ output

function textutils.slowWrite(text, rate)
  expect(2, rate, "number", "nil")
  rate = rate or 20
  if rate < 0 then error("Rate must be positive", 2) end
  local delay = 1 / rate
  local width = term.getSize()
  local lines = require("cc.strings").wrap(tostring(text), width)
  local wrapped = table.concat(lines, "\n")
  for n = 1, #wrapped do
    sleep(delay)
    write(wrapped:sub(n, n))
  end
end

function textutils.slowPrint(text, rate)
  textutils.slowWrite(text, rate)
  print()
end

function textutils.formatTime(time, twenty_four)
  expect(1, time, "number")
  expect(2, twenty_four, "boolean", "nil")
  local suffix
  if not twenty_four then
    suffix = time >= 12 and "PM" or "AM"
    if time >= 13 then time = time - 12 end
  end
  local hour = math.floor(time)
  local minute = math.floor((time - hour) * 60)
  if suffix then
    return string.format("%d:%02d %s", hour == 0 and 12 or hour, minute, suffix)
  end
  return string.format("%d:%02d", hour, minute)
end

-- "Press any key to continue", then the line is cleared for more output.
local function wait_for_key()
  local old = term.getTextColour()
  term.setTextColour(colors.white)
  write("Press any key to continue")
  term.setTextColour(old)
  os.pullEvent("key")
  term.clearLine()
  local _, y = term.getCursorPos()
  term.setCursorPos(1, y)
end

local function make_paged_print()
  local lines = 0
  local _, height = term.getSize()
  return function()
    if lines >= height - 3 then
      wait_for_key()
      lines = 0
    end
    lines = lines + 1
  end
end

function textutils.pagedPrint(text, free_lines)
  expect(2, free_lines, "number", "nil")
  local _, height = term.getSize()
  local printed = 0
  local limit = height - 3 - (free_lines or 0)
  local lines = require("cc.strings").wrap(tostring(text), (term.getSize()))
  for i, line in ipairs(lines) do
    if printed >= limit then
      wait_for_key()
      printed = 0
      limit = height - 3
    end
    print(line)
    printed = printed + 1
  end
  return #lines
end

local function tabulate(paged, ...)
  local all = table.pack(...)
  for i = 1, all.n do expect(i, all[i], "number", "table") end
  local width, height = term.getSize()
  local column = width / 8
  for n, t in ipairs(all) do
    if type(t) == "table" then
      for k, item in pairs(t) do
        local ty = type(item)
        if ty ~= "string" and ty ~= "number" then
          -- level 2: textutils.tabulate reaches here by a tail call
          error("bad argument #" .. n .. "." .. k .. " (string expected, got " .. ty .. ")", 2)
        end
        column = math.max(#tostring(item) + 1, column)
      end
    end
  end
  local columns = math.floor(width / column)
  local next_line = paged and make_paged_print() or function() end
  local function new_line()
    next_line()
    print()
  end
  local function draw(items)
    local col = 1
    for _, item in ipairs(items) do
      if col > columns then
        col = 1
        new_line()
      end
      local _, y = term.getCursorPos()
      term.setCursorPos(1 + math.floor((col - 1) * column), y)
      term.write(tostring(item))
      col = col + 1
    end
    new_line()
  end
  local previous = term.getTextColour()
  for _, t in ipairs(all) do
    if type(t) == "table" then
      if #t > 0 then draw(t) end
    else
      term.setTextColour(t)
    end
  end
  term.setTextColour(previous)
end

function textutils.tabulate(...) return tabulate(false, ...) end
function textutils.pagedTabulate(...) return tabulate(true, ...) end

-- ------------------------------------------------------------ Lua serialisation

local keywords = {}
for word in ([[and break do else elseif end false for function goto if in local nil not
               or repeat return then true until while]]):gmatch("%a+") do keywords[word] = true end

-- The tables being written (true) and written (false): a table met again
-- inside itself is recursive, met again elsewhere repeated (unless
-- allow_repetitions).
local function enter_table(tracking, value)
  if tracking[value] ~= nil then
    if tracking[value] == false then error("Cannot serialize table with repeated entries", 0) end
    error("Cannot serialize table with recursive entries", 0)
  end
  tracking[value] = true
end

local function leave_table(tracking, value, opts)
  if opts.allow_repetitions then tracking[value] = nil else tracking[value] = false end
end

local function serialise_value(value, tracking, indent, opts)
  local ty = type(value)
  if ty == "table" then
    enter_table(tracking, value)
    local result
    if next(value) == nil then
      result = "{}"
    else
      local open, sub, open_key, close_key, equal, comma = "{\n", indent .. "  ", "[ ", " ] = ", " = ", ",\n"
      if opts.compact then open, sub, open_key, close_key, equal, comma = "{", "", "[", "]=", "=", "," end
      local parts = {open}
      local seen = {}
      local i = 1
      while true do
        local v = rawget(value, i)
        if v == nil then break end
        seen[i] = true
        parts[#parts + 1] = sub .. serialise_value(v, tracking, sub, opts) .. comma
        i = i + 1
      end
      -- The other keys in a stable order (CC's follows its table layout;
      -- sorting gives the same order for the usual string keys).
      local keys = {}
      for k in next, value do
        if not seen[k] then keys[#keys + 1] = k end
      end
      local rank = {number = 1, string = 2}
      table.sort(keys, function(a, b)
        local ra, rb = rank[type(a)] or 3, rank[type(b)] or 3
        if ra ~= rb then return ra < rb end
        if ra < 3 then return a < b end
        return tostring(a) < tostring(b)
      end)
      for _, k in ipairs(keys) do
        local v = rawget(value, k)
        do
          local entry
          if type(k) == "string" and not keywords[k] and k:match("^[%a_][%w_]*$") then
            entry = k .. equal .. serialise_value(v, tracking, sub, opts) .. comma
          else
            entry = open_key .. serialise_value(k, tracking, sub, opts) .. close_key ..
                    serialise_value(v, tracking, sub, opts) .. comma
          end
          parts[#parts + 1] = sub .. entry
        end
      end
      parts[#parts + 1] = indent .. "}"
      result = table.concat(parts)
    end
    leave_table(tracking, value, opts)
    return result
  elseif ty == "string" then
    return string.format("%q", value)
  elseif ty == "number" then
    if value ~= value then return "0/0" end
    if value == math.huge then return "1/0" end
    if value == -math.huge then return "-1/0" end
    return number_text(value)
  elseif ty == "boolean" or ty == "nil" then
    return tostring(value)
  end
  error("Cannot serialize type " .. ty, 0)
end

function textutils.serialise(value, opts)
  expect(2, opts, "table", "nil")
  opts = opts or {}
  field(opts, "compact", "boolean", "nil")
  field(opts, "allow_repetitions", "boolean", "nil")
  return serialise_value(value, {}, "", opts)
end

function textutils.unserialise(text)
  expect(1, text, "string")
  local fn = load("return " .. text, "unserialize", "t", {})
  if fn then
    local ok, result = pcall(fn)
    if ok then return result end
  end
  return nil
end

-- ------------------------------------------------------------ JSON

textutils.empty_json_array = setmetatable({}, {
  __newindex = function() error("attempt to mutate textutils.empty_json_array", 2) end,
})
textutils.json_null = setmetatable({}, {
  __newindex = function() error("attempt to mutate textutils.json_null", 2) end,
})

local json_escapes = {['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
                      ["\r"] = "\\r", ["\t"] = "\\t"}

local function json_string(s, unicode)
  if unicode then
    local parts = {}
    for _, code in utf8.codes(s, true) do
      local c = code < 0x80 and string.char(code)
      if c and json_escapes[c] then parts[#parts + 1] = json_escapes[c]
      elseif c and code >= 0x20 and code < 0x7F then parts[#parts + 1] = c
      elseif code < 0x10000 then parts[#parts + 1] = string.format("\\u%04x", code)
      else
        code = code - 0x10000
        parts[#parts + 1] = string.format("\\u%04x\\u%04x", 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
      end
    end
    return '"' .. table.concat(parts) .. '"'
  end
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return json_escapes[c] or string.format("\\u00%02X", c:byte())
  end) .. '"'
end

local function serialise_json(value, tracking, opts)
  local ty = type(value)
  if value == textutils.empty_json_array then return "[]" end
  if value == textutils.json_null then return "null" end
  if ty == "table" then
    enter_table(tracking, value)
    local object, array = {}, {}
    local largest = 0
    local object_size = 0
    for k, v in pairs(value) do
      if type(k) == "string" then
        local key = opts.nbt_style and k or json_string(k, opts.unicode_strings)
        object[#object + 1] = key .. ":" .. serialise_json(v, tracking, opts)
        object_size = object_size + 1
      elseif type(k) == "number" and k % 1 == 0 and k > 0 then
        if k > largest then largest = k end
      end
    end
    local result
    if object_size == 0 and largest > 0 then
      for i = 1, largest do
        local v = value[i]
        array[i] = v == nil and "null" or serialise_json(v, tracking, opts)
      end
      result = "[" .. table.concat(array, ",") .. "]"
    else
      result = "{" .. table.concat(object, ",") .. "}"
    end
    leave_table(tracking, value, opts)
    return result
  elseif ty == "string" then
    return json_string(value, opts.unicode_strings)
  elseif ty == "number" then
    if value ~= value or value == math.huge or value == -math.huge then
      error("Cannot serialize number " .. tostring(value), 0)
    end
    return number_text(value)
  elseif ty == "boolean" then
    return tostring(value)
  end
  error("Cannot serialize type " .. ty, 0)
end

function textutils.serialiseJSON(value, opts)
  expect(1, value, "table", "string", "number", "boolean")
  expect(2, opts, "table", "boolean", "nil")
  if type(opts) == "boolean" then opts = {nbt_style = opts} end
  opts = opts or {}
  return serialise_json(value, {}, opts)
end

-- The JSON (and NBT-style) parser. Returns value, or nil and a message.
local function parse_json(text, opts)
  local pos = 1
  local nbt = opts.nbt_style

  local function fail(msg, at)
    error({message = msg, pos = at or pos}, 0)
  end

  local function skip()
    pos = text:find("[^ \t\r\n]", pos) or #text + 1
  end

  local function expect_char(c)
    if text:sub(pos, pos) ~= c then
      local got = text:sub(pos, pos)
      fail(got == "" and ("Unexpected end of input, expected '" .. c .. "'")
                     or ("Unexpected character \"" .. got .. "\", expected '" .. c .. "'"))
    end
    pos = pos + 1
  end

  local parse_value

  local function parse_string(quote)
    pos = pos + 1
    local parts = {}
    while true do
      local c = text:sub(pos, pos)
      if c == "" then fail("Unexpected end of input in string") end
      if c == quote then pos = pos + 1; break end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        local simple = ({['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t"})[e]
        if nbt and e == "'" then simple = "'" end
        if simple then
          parts[#parts + 1] = simple
          pos = pos + 2
        elseif e == "u" then
          local hex = text:sub(pos + 2, pos + 5)
          if not hex:match("^%x%x%x%x$") then fail("Malformed unicode escape") end
          local code = tonumber(hex, 16)
          pos = pos + 6
          if code >= 0xD800 and code <= 0xDBFF and text:sub(pos, pos + 1) == "\\u" then
            local low = tonumber(text:sub(pos + 2, pos + 5):match("^%x%x%x%x$") or "", 16)
            if low and low >= 0xDC00 and low <= 0xDFFF then
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
              pos = pos + 6
            end
          end
          parts[#parts + 1] = utf8.char(code)
        else
          fail("Unknown escape character \"" .. e .. "\"")
        end
      elseif c:byte() < 0x20 then
        fail("Unescaped control character in string")
      else
        local run = text:match("^[^\\" .. quote .. "\0-\31]+", pos)
        parts[#parts + 1] = run
        pos = pos + #run
      end
    end
    return table.concat(parts)
  end

  -- JSON's grammar: an integer part without leading zeros, then an optional
  -- fraction with digits, then an optional exponent with digits.
  local function parse_number()
    local int = text:match("^-?%d+", pos)
    if not int then fail("Unexpected character \"" .. text:sub(pos, pos) .. "\"") end
    if int:match("^-?0%d") then fail("Malformed number") end
    local finish = pos + #int
    local frac = text:match("^%.%d*", finish)
    if frac then
      if #frac == 1 then fail("Malformed number") end
      finish = finish + #frac
    end
    local exp = text:match("^[eE][-+]?%d*", finish)
    if exp then
      if not exp:match("%d$") then fail("Malformed number") end
      finish = finish + #exp
    end
    local num = text:sub(pos, finish - 1)
    pos = finish
    if nbt then
      local suffix = text:match("^[bBsSlLfFdD]", pos)
      if suffix then pos = pos + 1 end
    end
    return tonumber(num)
  end

  local function parse_key()
    skip()
    local c = text:sub(pos, pos)
    if c == '"' or (nbt and c == "'") then return parse_string(c) end
    if nbt then
      local word = text:match("^[%w_%-%.+]+", pos)
      if word then
        pos = pos + #word
        return word
      end
    end
    if c == "" then fail("Unexpected end of input, expected key") end
    fail("Unexpected character \"" .. c .. "\", expected key")
  end

  -- Nesting deeper than this is refused (a value, not a crash, for input
  -- such as 100,000 opening brackets).
  local depth, max_depth = 0, 1000

  function parse_value()
    skip()
    local c = text:sub(pos, pos)
    if (c == "{" or c == "[") and depth >= max_depth then fail("Too much nesting") end
    if c == "{" then
      pos = pos + 1
      depth = depth + 1
      local result = {}
      skip()
      if text:sub(pos, pos) == "}" then pos = pos + 1; depth = depth - 1; return result end
      while true do
        local key = parse_key()
        skip()
        expect_char(":")
        result[key] = parse_value()
        skip()
        local n = text:sub(pos, pos)
        if n == "}" then pos = pos + 1; depth = depth - 1; return result end
        expect_char(",")
      end
    elseif c == "[" then
      pos = pos + 1
      depth = depth + 1
      if nbt and text:match("^[BIL];", pos) then pos = pos + 2 end
      local result, n = {}, 0
      skip()
      if text:sub(pos, pos) == "]" then
        pos = pos + 1
        depth = depth - 1
        if opts.parse_empty_array ~= false and not nbt then return textutils.empty_json_array end
        return result
      end
      while true do
        n = n + 1
        result[n] = parse_value()
        skip()
        local d = text:sub(pos, pos)
        if d == "]" then pos = pos + 1; depth = depth - 1; return result end
        expect_char(",")
      end
    elseif c == '"' or (nbt and c == "'") then
      return parse_string(c)
    elseif c == "-" or c:match("%d") then
      return parse_number()
    elseif text:sub(pos, pos + 3) == "true" then pos = pos + 4; return true
    elseif text:sub(pos, pos + 4) == "false" then pos = pos + 5; return false
    elseif text:sub(pos, pos + 3) == "null" then
      pos = pos + 4
      if opts.parse_null then return textutils.json_null end
      return nil
    elseif c == "" then
      fail("Unexpected end of input")
    end
    fail("Unexpected character \"" .. c .. "\"")
  end

  local ok, result = pcall(function()
    local value = parse_value()
    skip()
    if pos <= #text then fail("Unexpected character \"" .. text:sub(pos, pos) .. "\" after end of value") end
    return value
  end)
  if ok then return result end
  if type(result) ~= "table" then error(result, 0) end
  -- "Unexpected ... at line 1 column 3", as CC reports it.
  local line, col = 1, 1
  for i = 1, math.min(result.pos, #text + 1) - 1 do
    if text:sub(i, i) == "\n" then line, col = line + 1, 1 else col = col + 1 end
  end
  return nil, ("Malformed JSON at line %d column %d: %s"):format(line, col, result.message)
end

function textutils.unserialiseJSON(text, opts)
  expect(1, text, "string")
  expect(2, opts, "table", "nil")
  opts = opts or {}
  field(opts, "nbt_style", "boolean", "nil")
  field(opts, "parse_null", "boolean", "nil")
  field(opts, "parse_empty_array", "boolean", "nil")
  return parse_json(text, opts)
end

-- ------------------------------------------------------------ the rest

function textutils.urlEncode(text)
  expect(1, text, "string")
  text = text:gsub("\n", "\r\n")
  text = text:gsub("([^A-Za-z0-9 %-%_%.])", function(c)
    local n = c:byte()
    if n < 128 then return string.format("%%%02X", n) end
    return (utf8.char(n):gsub(".", function(b) return string.format("%%%02X", b:byte()) end))
  end)
  return (text:gsub(" ", "+"))
end

local no_completions = {}
function textutils.complete(text, env)
  expect(1, text, "string")
  expect(2, env, "table", "nil")
  if keywords[text] then return no_completions end
  local start = 1
  local dot = text:find(".", start, true)
  local tbl = env or _ENV
  while dot do
    local value = tbl[text:sub(start, dot - 1)]
    if type(value) ~= "table" then return no_completions end
    tbl = value
    start = dot + 1
    dot = text:find(".", start, true)
  end
  local colon = text:find(":", start, true)
  if colon then
    local value = tbl[text:sub(start, colon - 1)]
    if type(value) ~= "table" then return no_completions end
    tbl = value
    start = colon + 1
  end
  local part = text:sub(start)
  local results, seen = {}, {}
  while tbl do
    for k, v in pairs(tbl) do
      if not seen[k] and type(k) == "string" and k:find(part, 1, true) == 1 and not keywords[k]
         and k:match("^[%a_][%w_]*$") then
        local rest = k:sub(#part + 1)
        if colon then
          local mt = type(v) == "table" and getmetatable(v)
          if type(v) == "function" or (mt and (type(mt.__call) == "function" or type(mt.__call) == "table")) then
            results[#results + 1] = rest .. "("
          end
        else
          if type(v) == "function" then rest = rest .. "("
          elseif type(v) == "table" and next(v) ~= nil then rest = rest .. "." end
          results[#results + 1] = rest
        end
      end
      seen[k] = true
    end
    local mt = getmetatable(tbl)
    tbl = mt and type(mt.__index) == "table" and mt.__index or nil
  end
  table.sort(results)
  return results
end

textutils.serialize = textutils.serialise
textutils.unserialize = textutils.unserialise
textutils.serializeJSON = textutils.serialiseJSON
textutils.unserializeJSON = textutils.unserialiseJSON

-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(textutils) do _ENV[k] = v end end
return textutils
