-- Messages are deep copies: subtypes, binary strings, nesting, shared
-- subtables and cycles survive; the sender may change its table afterwards.
local ipc = require("system.ipc")
local process = require("system.process")
local check = require("lib.check")
local me = process.getpid()

local shared = {x = 1}
local msg = {
  int = 3, float = 3.0, big = math.maxinteger, small = math.mininteger,
  neg = -0.5, huge = math.huge, bin = "a\0b\255\n", empty = "",
  yes = true, no = false,
  list = {10, 20, 30, nil, 50},
  a = shared, b = shared,
  nested = {{{{{"deep"}}}}},
  [1] = "one", [2.5] = "float key", [true] = "bool key",
}
msg.self = msg
check.eq(ipc.sendEvent(me, "copy", msg), true, "send to self")
msg.int = 99; shared.x = 2; msg.list[1] = nil  -- must not affect the copy

local event, got, from = ipc.receiveEvent(me, "copy", 1)
check.eq(event, "copy", "event")
check.eq(from, me, "sender")
check.eq(math.type(got.int), "integer", "integer subtype")
check.eq(got.int, 3, "int value")
check.eq(math.type(got.float), "float", "float subtype")
check.eq(got.big, math.maxinteger, "maxinteger")
check.eq(got.small, math.mininteger, "mininteger")
check.eq(got.neg, -0.5, "negative float")
check.eq(got.huge, math.huge, "inf")
check.eq(got.bin, "a\0b\255\n", "binary string")
check.eq(#got.bin, 5, "binary length")
check.eq(got.empty, "", "empty string")
check.eq(got.yes, true, "true"); check.eq(got.no, false, "false")
check.eq(got.list[1], 10, "list[1]"); check.eq(got.list[5], 50, "list[5]")
check.eq(got.list[4], nil, "hole")
check.eq(got.a.x, 1, "shared value copied at send time")
check.truthy(got.a == got.b, "shared subtable stays shared")
check.truthy(got.self == got, "cycle stays a cycle")
check.eq(got.nested[1][1][1][1][1], "deep", "nesting")
check.eq(got[1], "one", "integer key"); check.eq(got[2.5], "float key", "float key")
check.eq(got[true], "bool key", "boolean key")

-- Deep nesting is copied without recursion limits.
local deep = {}
local t = deep
for i = 1, 20000 do t.next = {i = i}; t = t.next end
check.eq(ipc.sendEvent(me, "deep", deep), true, "deep send")
local _, copy = ipc.receiveEvent(me, "deep", 1)
local depth = 0
t = copy
while t.next do depth = depth + 1; t = t.next end
check.eq(depth, 20000, "depth")
check.eq(t.i, 20000, "deepest value")

-- Omitted param: an empty table arrives.
check.eq(ipc.sendEvent(me, "empty"), true, "send without param")
local ev, p = ipc.receiveEvent(me, "empty", 1)
check.eq(ev, "empty", "event"); check.eq(type(p), "table", "param type"); check.eq(next(p), nil, "empty param")

-- Things that cannot be sent, with the path to them.
check.raises("bad argument #3 to 'sendEvent' (cannot send a function (at param.handler))",
  ipc.sendEvent, me, "x", {handler = print})
check.raises("cannot send a function (at param.a.b[2])", ipc.sendEvent, me, "x", {a = {b = {1, function() end}}})
check.raises("cannot send a thread (at param.co)", ipc.sendEvent, me, "x", {co = coroutine.create(print)})
check.raises("cannot send a function (at param[\"two words\"])", ipc.sendEvent, me, "x", {["two words"] = print})
check.raises("cannot send a function (at param[<key>])", ipc.sendEvent, me, "x", {[print] = 1})
-- A message larger than 1 MiB is refused with an error.
check.raises("bad argument #3 to 'sendEvent' (message too large", ipc.sendEvent, me, "x", {s = string.rep("x", 1100000)})
check.eq(ipc.sendEvent(me, "ok", {s = string.rep("x", 1000000)}), true, "just under 1 MiB")
local _, big = ipc.receiveEvent(me, "ok", 1)
check.eq(#big.s, 1000000, "big string")
-- Nothing half-sent stays queued.
check.eq(ipc.receiveEvent(nil, nil, 0), nil, "queue empty after refused sends")
print("copy ok")
