-- textutils, following CC:Tweaked's documented behaviour.
-- expect-out: textutils ok
local check = require("lib.check")

check.eq(textutils.serialise({1, 2, 3, a = 1, b = {}}), "{\n  1,\n  2,\n  3,\n  a = 1,\n  b = {},\n}", "serialise")
check.eq(textutils.serialise({0 / 0, 1 / 0, -1 / 0}), "{\n  0/0,\n  1/0,\n  -1/0,\n}", "special numbers")
check.eq(textutils.serialise({1, 2, 3, a = 1, [false] = {}}, {compact = true}), "{1,2,3,a=1,[false]={},}", "compact")
check.eq(textutils.serialise(2.0), "2", "floats as CC writes them")
local rep = {}
check.raises("Cannot serialize table with repeated entries", textutils.serialise, {rep, rep})
local rec = {}
rec[1] = rec
check.raises("Cannot serialize table with recursive entries", textutils.serialise, rec)
check.eq(textutils.serialise({rep, rep}, {allow_repetitions = true}), "{\n  {},\n  {},\n}", "repetitions allowed")
check.raises("Cannot serialize type function", textutils.serialise, print)
check.eq(textutils.serialise(setmetatable({}, {__index = {1, 2}})), "{}", "metatables ignored")
check.same(textutils.unserialise("{ a = 1, [2] = 'x' }"), {a = 1, [2] = "x"}, "unserialise")
check.eq(textutils.unserialise("{"), nil, "bad input is nil")
check.raises("bad argument #1 (string expected, got nil)", textutils.unserialise, nil)

check.eq(textutils.serialiseJSON({5, "test", nil, nil, 7}), '[5,"test",null,null,7]', "json array")
check.eq(textutils.serialiseJSON({test = 2}, true), "{test:2}", "nbt style")
check.eq(textutils.serialiseJSON(textutils.empty_json_array), "[]", "empty array")
check.eq(textutils.serialiseJSON(textutils.json_null), "null", "null")
check.eq(textutils.serialiseJSON('"\\/\n' .. string.char(0x1D, 0xFF)), '"\\"\\\\/\\n\\u001D\\u00FF"', "json strings")
check.eq(textutils.serialiseJSON("\xe3\x81\x93", {unicode_strings = true}), '"\\u3053"', "unicode")
check.raises("bad argument #1 (table, string, number or boolean expected, got nil)", textutils.serialiseJSON, nil)
check.raises("bad argument #2 (table or boolean expected, got number)", textutils.serialiseJSON, "", 1)
check.same(textutils.unserialiseJSON('[1, true, false, "hello"]'), {1, true, false, "hello"}, "parse")
check.same(textutils.unserialiseJSON('{ "a": 1, "b":2 }'), {a = 1, b = 2}, "object")
check.eq(textutils.unserialiseJSON("null", {parse_null = true}), textutils.json_null, "parse_null")
check.eq(textutils.unserialiseJSON("[]"), textutils.empty_json_array, "empty array")
check.same(textutils.unserialiseJSON("[]", {parse_empty_array = false}), {}, "plain empty array")
check.same(textutils.unserialiseJSON("{ a: 1, b:2 }", {nbt_style = true}), {a = 1, b = 2}, "nbt keys")
check.eq(textutils.unserialiseJSON("1b", {nbt_style = true}), 1, "nbt suffix")
check.same(textutils.unserialiseJSON("[B; 1, 2, 3]", {nbt_style = true}), {1, 2, 3}, "typed array")
for _, bad in ipairs({"[1,]", "{", "01", "[1 2]", '"\\x"', "tru", "1.", '{"a" 1}'}) do
  local value, err = textutils.unserialiseJSON(bad)
  check.eq(value, nil, "rejects " .. bad)
  check.truthy(err, "message for " .. bad)
end
check.raises("attempt to mutate textutils.empty_json_array", function() textutils.empty_json_array[1] = true end)

check.eq(textutils.formatTime(0, false), "12:00 AM", "midnight")
check.eq(textutils.formatTime(0.1, true), "0:06", "24h")
check.eq(textutils.formatTime(13.5, false), "1:30 PM", "pm")
check.raises("bad argument #2 (boolean expected, got number)", textutils.formatTime, 1, 1)
check.eq(textutils.urlEncode("a b&c"), "a+b%26c", "urlEncode")
check.raises("bad argument #1 (string expected, got nil)", textutils.urlEncode, nil)
check.same(textutils.complete("textutils.ser", _G), {"ialise(", "ialiseJSON(", "ialize(", "ializeJSON("}, "complete")
check.raises("bad argument #2 (table expected, got boolean)", textutils.complete, "", false)
check.raises("bad argument #1 (number or table expected, got nil)", textutils.tabulate, nil)
check.raises("bad argument #1.1 (string expected, got boolean)", textutils.tabulate, {false})
-- Where the error points: nowhere called straight from pcall, as in CC's
-- spec; at the program's line otherwise (not one level beyond it).
local _, direct = pcall(textutils.tabulate, {false})
check.eq(direct, "bad argument #1.1 (string expected, got boolean)", "tabulate's error from pcall")
local _, placed = pcall(function() textutils.tabulate({false}) end)
check.truthy(placed:find("^[^:]+cc_textutils.lua:%d+: bad argument #1.1"), "tabulate's error at the caller: " .. placed)
check.raises("bad argument #2 (number expected, got boolean)", textutils.slowWrite, nil, false)
print("textutils ok")
