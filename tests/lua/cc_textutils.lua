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
-- unserializeJSON against JSONTestSuite's kinds of case: what must parse
-- (y) parses, what must not (n) gives nil, and nothing raises, however deep
local must_parse = {
 '[[]   ]', '[""]', '[]', '["a"]', '[false]', '[null, 1, "1", {}]', '[null]', '[1\n]', ' [1]', '[1,null,null,null,2]', '[2] ',
 '[123e65]', '[0e+1]', '[0e1]', '[ 4]', '[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]\n', '[20e1]', '[-0]', '[-1]', '[-123]', '[1E22]', '[1E-2]', '[1E+2]', '[123e45]', '[123.456e78]', '[1e-2]', '[1e+2]', '[123]', '[123.456789]', '[-1e+9999]', '[1.5e+9999]', '[123e-10000000]',
 '{"asd":"sdf", "dfg":"fgh"}', '{"asd":"sdf"}', '{"a":"b","a":"c"}', '{"a":"b","a":"b"}', '{}', '{"":0}', '{"foo\\u0000bar": 42}', '{ "min": -1.0e+28, "max": 1.0e+28 }', '{"x":[{"id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}], "id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}', '{"a":[]}', '{"title":"\\u041f\\u043e\\u043b\\u0442\\u043e\\u0440\\u0430 \\u0417\\u0435\\u043c\\u043b\\u0435\\u043a\\u043e\\u043f\\u0430" }', '{\n"a": "b"\n}',
 '["\\u0060\\u012a\\u12AB"]', '["\\uD801\\udc37"]', '["\\ud83d\\ude39\\ud83d\\udc8d"]', '["\\"\\\\\\/\\b\\f\\n\\r\\t"]', '["\\\\u0000"]', '["\\""]', '["a/*b*/c/*d//e"]', '["\\\\a"]', '["\\\\n"]', '["\\u0012"]', '["\\uFFFF"]', '["asd"]', '[ "asd"]', '["\\uDBFF\\uDFFF"]', '["new\\u00A0line"]', '["\xf4\x8f\xbf\xbf"]', '["\xef\xbf\xbf"]', '["\\u0000"]', '["\\u002c"]', '["π"]', '["\xf0\x9b\xbf\xbf"]', '["asd "]', '" "', '["\\uD834\\uDd1e"]', '["\\u0821"]', '["\\u0123"]', '["\xe2\x80\xa8"]', '["\xe2\x80\xa9"]', '["\\u0061\\u30af\\u30EA\\u30b9"]', '["new\\u000Aline"]', '["\x7f"]', '["\\uA66D"]', '["\\u005C"]', '["⍂㈴⍂"]', '["\\uDBFF\\uDFFE"]', '["\\uD83F\\uDFFE"]', '["\\u200B"]', '["\\u2064"]', '["\\uFDD0"]', '["\\uFFFE"]', '["\\u0022"]', '["€𝄞"]', '["aa"]', '["\\u00e9"]',
 'false', '42', '-0.1', 'null', '"asd"', 'true', '""', '["a"]\n', '[true]', ' [] ',
}
local must_fail = {
 '[1 true]', '[a\xe5]', '["": 1]', '[""],', '[,1]', '[1,,2]', '["x",,]', '["x"', '[x', '[3[4]]', '[\xff]', '[1:2]', '[,]', '[-]', '[   , ""]', '["a",\n4\n,1,', '[1,]', '[1,,]', '["\x0b"a\\f"]', '[*]', '[""', '[1,', '[1,\n1\n,1', '[{}', '[fals]', '[nul]', '[tru]',
 '123\x00', '[++1234]', '[+1]', '[+Inf]', '[-01]', '[-1.0.]', '[-2.]', '[-NaN]', '[.-1]', '[.2e-3]', '[0.1.2]', '[0.3e+]', '[0.3e]', '[0.e1]', '[0E+]', '[0E]', '[0e+]', '[0e]', '[1.0e+]', '[1.0e-]', '[1.0e]', '[1 000.0]', '[1eE2]', '[2.e+3]', '[2.e-3]', '[2.e3]', '[9.e+]', '[Inf]', '[NaN]', '[\xef\xbc\x91]', '[1+2]', '[0x1]', '[0x42]', '[Infinity]', '[0e+-1]', '[-123.123foo]', '[123\xe5]', '[1e1\xe5]', '[0\xe5]', '[-Infinity]', '[-foo]', '[- 1]', '[-012]', '[-.123]', '[-1x]', '[1ea]', '[1e\xe5]', '[1.]', '[.123]', '[1.2a-3]', '[1.8011670033376514H-308]', '[012]',
 '["x", truth]', '{[: "x"}\n', '{"x", null}', '{"x"::"b"}', '{\xf0\x9f\x87\xa8\xf0\x9f\x87\xad}', '{"a":"a" 123}', '{key: \'value\'}', '{"\xb9":"0",}', '{"a" b}', '{:"b"}', '{"a" "b"}', '{"a":', '{"a"', '{1:1}', '{9999E9999:1}', '{null:null,null:null}', '{"id":0,,,,,}', '{\'a\':0}', '{"id":0,}', '{"a":"b"}/**/', '{"a":"b"}/**//', '{"a":"b"}//', '{"a":"b"}/', '{"a":"b",,"c":"d"}', '{a: "b"}', '{"a":"a', '{ "foo" : "bar", "a" }', '{"a":"b"}#', ' ', '["\\uD800\\"]', '["\\uD800\\u"]', '["\\uD800\\u1"]', '["\\uD800\\u1x"]', '[\xc3\xa9]', '["\\x00"]', '["\\\\\\"]', '["\\\t"]', '["\\🌀"]', '["\\"]', '["\\u00A"]', '["\\uD834\\uDd"]', '["\\uD800\\uD800\\x"]', '["\\u\xe5"]', '["\\a"]', '["\\uqqqq"]', '["\\\xe5"]', '[\\u0020"asd"]', '[\\n]', '"', '[\'single quote\']', 'abc', '["\\', '["new\nline"]', '["\t"]', '"\\UA66D"', '""x', '[\xe2\x81\xa0]', '<.>', '[<null>]', '[1]x', '[1]]', '["asd]', 'a\xc3\xa5', '[True]', '1]', '{"x": true,', '[][]', ']', '\xef\xbb\xbf{}', '\xe5', '[', '', '2@', '{}}', '{"":', '{"a":/*comment*/"b"}', '{"a": true} "x"', '[\'', '[,', '[{', '["a', '["a"', '{', '{]', '{,', '{[', '{"a', '{\'a\'', '["\\{["\\{["\\{["\\{', '\xe9', '*', '{"a":"b"}#{}', '[\\u000A""]', '[1', '[ false, nul', '[ true, fals', '[ false, tru', '{"asd":"asd"', '\xc3\xa5', '[\xe2\x81\xa0]', '[\x0c]',
}
for _, text in ipairs(must_parse) do
  local ok, value, err = pcall(textutils.unserializeJSON, text)
  check.truthy(ok and err == nil, ("parses %q: %s"):format(text, tostring(err or value)))
end
for _, text in ipairs(must_fail) do
  local ok, value = pcall(textutils.unserializeJSON, text)
  check.truthy(ok and value == nil, ("refuses %q"):format(text))
end
check.same({ pcall(textutils.unserializeJSON, string.rep("[", 100000)) }, { true, nil, "Malformed JSON at line 1 column 1001: Too much nesting" }, "100,000 opening brackets")
check.eq(#textutils.unserializeJSON(string.rep("[", 500) .. string.rep("]", 500)), 1, "500 nested arrays parse")
print("textutils ok")
