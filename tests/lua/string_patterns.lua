-- moonbox has its own pattern matcher (with a CPU budget); it must give the
-- same answers as Lua 5.4's. `expected` is what stock lua5.4 printed.
-- expect-out: patterns ok
local expected = [==[
5,7 | 3,4 | key,val | hell0 w0rld,2 | aabbcc,3 | -a-b-c-,4 | trim | 2,2 |  | quick | (a(b)c) | 1,3 | heLLo,2 | NAME,1 | 2024,01,02 | 2,2,2,3 |  | x | x_y z,1 | 1,0 |  | h,e,l,l,o | X | ]
one/two/three
a1;b2;
]==]
local out = {}
local function print(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end out[#out + 1] = table.concat(t, "\t") .. "\n" end
local io = {write = function(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end local s = table.concat(t) if #out > 0 and not out[#out]:find("\n$") then out[#out] = out[#out] .. s else out[#out + 1] = s end end}
-- compare with known answers from stock Lua 5.4
local cases = {
  {string.find("hello world", "o w")}, {string.find("hello", "l+")}, {string.match("key=val", "(%w+)=(%w+)")},
  {string.gsub("hello world", "o", "0")}, {string.gsub("abc", "%w", "%0%0")}, {string.gsub("abc", "", "-")},
  {string.match("  trim  ", "^%s*(.-)%s*$")}, {string.find("a.b", ".", 1, true)}, {string.find("abc", "b", -1)},
  {string.match("THE (quick) fox", "%((%a+)%)")}, {string.match("f(a(b)c)", "%b()")}, {string.find("THE", "%f[%a]%a+")},
  {string.gsub("hello", "l", {l = "L"})}, {string.gsub("$name", "%$(%w+)", function(n) return n:upper() end)},
  {string.match("2024-01-02", "(%d+)-(%d+)-(%d+)")}, {string.find("abc", "()b()")}, {string.match("aaa", "a-b")},
  {string.match("x", "[%a_][%w_]*")}, {("x y z"):gsub("%s", "_", 1)}, {string.find("", "")}, {string.find("abc", "", 10)},
  {string.match("hello", "(h)(e)(l)(l)(o)")}, {string.match("aXb", "%u")}, {string.match("a]b", "[]]")},
}
local parts = {}
for _, r in ipairs(cases) do
  local t = {}
  for i = 1, #r do t[#t + 1] = tostring(r[i]) end
  parts[#parts + 1] = table.concat(t, ",")
end
print(table.concat(parts, " | "))
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print(table.concat(words, "/"))
for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do io.write(k, v, ";") end io.write("\n")
local got = table.concat(out)
if got ~= expected then error("patterns differ:\n" .. got .. "\nexpected:\n" .. expected) end
_G.print("patterns ok")
