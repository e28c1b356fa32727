// ValueCodec: the deep copy between two independent Lua states.
#include <doctest/doctest.h>

#include <lua.hpp>

#include "vm/kernel/ValueCodec.h"

using namespace moonbox;

namespace {

struct State {
  lua_State* L = luaL_newstate();
  State() { luaL_openlibs(L); }
  ~State() { lua_close(L); }
  void run(const char* code) {
    REQUIRE_MESSAGE(luaL_dostring(L, code) == LUA_OK, lua_tostring(L, -1));
  }
  // Runs code that must return true (`got` is the decoded value).
  bool check(const char* code) {
    if (luaL_dostring(L, code) != LUA_OK) FAIL(lua_tostring(L, -1));
    bool ok = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return ok;
  }
};

// Encodes the global `value` of `from` and decodes it into `to`.
std::string copy_value(State& from, State& to, const char* expr) {
  std::string code = std::string("return ") + expr;
  from.run(code.c_str());
  Encoder enc;
  std::string msg;
  int top = lua_gettop(from.L);
  int type = lua_type(from.L, top);
  REQUIRE(enc.encode(from.L, top, 1, msg) == EncodeStatus::Ok);
  // The value is read where it is, and stays there for the caller.
  REQUIRE(lua_gettop(from.L) == top);
  REQUIRE(lua_type(from.L, top) == type);
  lua_pop(from.L, 1);
  std::vector<int> frames;
  frames.reserve(message_info(msg).max_depth);
  REQUIRE(decode(to.L, msg, frames) == 1);
  lua_setglobal(to.L, "got");
  return msg;
}

}  // namespace

TEST_CASE("scalars keep their type and subtype") {
  State a, b;
  copy_value(a, b, "{i = 3, f = 3.0, m = math.mininteger, x = math.maxinteger, h = -math.huge, t = true, "
                   "n = false, s = 'a\\0b\\255'}");
  CHECK(b.check("return math.type(got.i) == 'integer' and got.i == 3"));
  CHECK(b.check("return math.type(got.f) == 'float' and got.f == 3.0"));
  CHECK(b.check("return got.m == math.mininteger and got.x == math.maxinteger"));
  CHECK(b.check("return got.h == -math.huge and got.t == true and got.n == false"));
  CHECK(b.check("return got.s == 'a\\0b\\255' and #got.s == 4"));
}

TEST_CASE("NaN survives as NaN") {
  State a, b;
  copy_value(a, b, "{v = 0/0}");
  CHECK(b.check("return got.v ~= got.v"));
}

TEST_CASE("shared subtables stay shared and cycles stay cyclic") {
  State a, b;
  a.run("shared = {1}; v = {x = shared, y = shared}; v.me = v; v[shared] = 'key table'");
  copy_value(a, b, "v");
  CHECK(b.check("return got.x == got.y and got.me == got and got[got.x] == 'key table'"));
  CHECK(b.check("return got.x[1] == 1"));
}

TEST_CASE("deep nesting is copied without recursion") {
  State a, b;
  a.run("deep = {} local t = deep for i = 1, 60000 do t.n = {} t = t.n end t.last = true");
  copy_value(a, b, "deep");
  CHECK(b.check("local t, d = got, 0 while t.n do t = t.n d = d + 1 end return d == 60000 and t.last"));
}

TEST_CASE("tables as keys, nested in keys") {
  State a, b;
  copy_value(a, b, "{[{[{1}] = 'inner'}] = 'outer'}");
  CHECK(b.check("local k, v = next(got) local k2, v2 = next(k) return v == 'outer' and v2 == 'inner' and k2[1] == 1"));
}

TEST_CASE("functions, threads and userdata are refused with a path") {
  State a;
  Encoder enc;
  std::string msg;
  a.run("return {ok = 1, deep = {list = {1, 2, print}}}");
  int top = lua_gettop(a.L);
  REQUIRE(enc.encode(a.L, top, 1, msg) == EncodeStatus::BadType);
  CHECK(std::string(enc.bad_type()) == "function");
  enc.push_error_path(a.L, "param");
  CHECK(std::string(lua_tostring(a.L, -1)) == "param.deep.list[3]");
  lua_pop(a.L, 1);
  enc.finish(a.L);
  CHECK(lua_gettop(a.L) == top);

  a.run("return {co = coroutine.create(print)}");
  REQUIRE(enc.encode(a.L, lua_gettop(a.L), 1, msg) == EncodeStatus::BadType);
  CHECK(std::string(enc.bad_type()) == "thread");
  enc.finish(a.L);

  lua_newuserdata(a.L, 8);
  REQUIRE(enc.encode(a.L, lua_gettop(a.L), 1, msg) == EncodeStatus::BadType);
  CHECK(std::string(enc.bad_type()) == "userdata");
  CHECK(enc.failed_value() == 0);
}

TEST_CASE("the size limit refuses large messages") {
  State a;
  Encoder enc(1000);
  std::string msg;
  a.run("return {s = string.rep('x', 2000)}");
  CHECK(enc.encode(a.L, lua_gettop(a.L), 1, msg) == EncodeStatus::TooLarge);
  a.run("t = {} for i = 1, 500 do t[i] = i end return t");
  CHECK(enc.encode(a.L, lua_gettop(a.L), 1, msg) == EncodeStatus::TooLarge);
  a.run("return {s = string.rep('x', 900)}");
  CHECK(enc.encode(a.L, lua_gettop(a.L), 1, msg) == EncodeStatus::Ok);
}

TEST_CASE("several values and nil among them") {
  State a, b;
  a.run("return 1, nil, 'three'");
  Encoder enc;
  std::string msg;
  REQUIRE(enc.encode(a.L, lua_gettop(a.L) - 2, 3, msg) == EncodeStatus::Ok);
  std::vector<int> frames;
  REQUIRE(decode(b.L, msg, frames) == 3);
  CHECK(lua_tointeger(b.L, -3) == 1);
  CHECK(lua_isnil(b.L, -2));
  CHECK(std::string(lua_tostring(b.L, -1)) == "three");
}

TEST_CASE("a corrupt message raises a Lua error, never crashes") {
  State a, b;
  std::string msg = copy_value(a, b, "{a = {b = {c = 'hello'}}, list = {1, 2, 3}}");
  for (std::size_t cut = 0; cut < msg.size(); cut++) {
    std::string broken = msg.substr(0, cut);
    std::vector<int> frames;
    frames.reserve(64);
    lua_pushcfunction(b.L, [](lua_State* L) {
      auto* m = static_cast<std::string*>(lua_touserdata(L, 1));
      auto* f = static_cast<std::vector<int>*>(lua_touserdata(L, 2));
      return decode(L, *m, *f);
    });
    lua_pushlightuserdata(b.L, &broken);
    lua_pushlightuserdata(b.L, &frames);
    int status = lua_pcall(b.L, 2, LUA_MULTRET, 0);
    lua_settop(b.L, 0);
    CHECK((status != LUA_OK || cut < 9));
  }
}

TEST_CASE("a table with a nil key or a key without its value is a corrupt message") {
  State b;
  auto decodes = [&](const std::string& msg) {
    std::vector<int> frames;
    frames.reserve(8);
    lua_pushcfunction(b.L, [](lua_State* L) {
      auto* m = static_cast<const std::string*>(lua_touserdata(L, 1));
      auto* f = static_cast<std::vector<int>*>(lua_touserdata(L, 2));
      return decode(L, *m, *f);
    });
    lua_pushlightuserdata(b.L, const_cast<std::string*>(&msg));
    lua_pushlightuserdata(b.L, &frames);
    int status = lua_pcall(b.L, 2, LUA_MULTRET, 0);
    std::string error = status == LUA_OK ? "" : lua_tostring(b.L, -1);
    lua_settop(b.L, 0);
    return error;
  };
  std::string nil_key, lone_key, nil_value;
  MessageWriter(nil_key).begin_table().nil().integer(1).end_table().finish();
  MessageWriter(lone_key).begin_table().key("a").integer(1).key("b").end_table().finish();
  MessageWriter(nil_value).begin_table().key("a").nil().end_table().finish();
  CHECK(decodes(nil_key).find("corrupt message") != std::string::npos);
  CHECK(decodes(lone_key).find("corrupt message") != std::string::npos);
  CHECK(decodes(nil_value) == "");  // t.a = nil: nothing stored, nothing wrong
}

TEST_CASE("preview renders a short text") {
  State a, b;
  CHECK(preview(copy_value(a, b, "{n = 1}")) == "{n=1}");
  CHECK(preview(copy_value(a, b, "{s = 'hello', {}}")) == "{[1]={},s=\"hello\"}");
  CHECK(preview(copy_value(a, b, "{1, 2.5, true}")) == "{[1]=1,[2]=2.5,[3]=true}" );
  std::string longer = preview(copy_value(a, b, "{s = string.rep('y', 500)}"), 20);
  CHECK(longer.size() <= 20);
  CHECK(longer.ends_with("..."));
}

TEST_CASE("MessageWriter builds what decode reads") {
  State b;
  std::string msg;
  MessageWriter w(msg);
  w.begin_table().key("id").integer(7).key("error").string("x").key("nested").begin_table().key("ok").boolean(true)
      .end_table().end_table();
  w.number(1.5);
  w.finish();
  std::vector<int> frames;
  frames.reserve(message_info(msg).max_depth);
  REQUIRE(decode(b.L, msg, frames) == 2);
  lua_setglobal(b.L, "second");
  lua_setglobal(b.L, "got");
  CHECK(b.check("return got.id == 7 and got.error == 'x' and got.nested.ok == true and second == 1.5"));
}

TEST_CASE("each value's first table keeps its own identity, also after an earlier value's tables") {
  // The first table of a value is tracked apart from the others (a flat
  // message then needs no map): a cycle to it in the third value must point
  // at that value's table, not at the first value's.
  State a, b;
  a.run("t = {}; t.self = t; t.inner = {back = t}; shared = {1}");
  a.run("return {x = shared}, shared, t");
  Encoder enc;
  std::string msg;
  REQUIRE(enc.encode(a.L, lua_gettop(a.L) - 2, 3, msg) == EncodeStatus::Ok);
  std::vector<int> frames;
  frames.reserve(message_info(msg).max_depth);
  REQUIRE(decode(b.L, msg, frames) == 3);
  lua_setglobal(b.L, "third");
  lua_setglobal(b.L, "second");
  lua_setglobal(b.L, "first");
  CHECK(b.check("return third.self == third and third.inner.back == third"));
  CHECK(b.check("return second[1] == 1 and first.x[1] == 1 and first.x ~= second"));  // two copies
  CHECK(b.check("return first ~= third and second ~= third"));
}

TEST_CASE("an event's values encoded after its name: the same bytes, the limit on the values alone") {
  State a;
  Encoder plain(1000), named(1000);
  a.run("return {n = 1, s = 'hello', {true}}");
  REQUIRE(plain.encode(a.L, lua_gettop(a.L), 1) == EncodeStatus::Ok);
  REQUIRE(named.encode(a.L, lua_gettop(a.L), 1, "ping") == EncodeStatus::Ok);
  CHECK(named.output() == plain.output());
  CHECK(std::string_view(named.buffer()).substr(0, 4) == "ping");
  CHECK(std::string_view(named.buffer()).substr(4) == plain.output());
  // 900 bytes of values fit a 1000-byte limit, whatever the name's length.
  a.run("return {s = string.rep('x', 900)}");
  const std::string long_name(500, 'n');
  CHECK(named.encode(a.L, lua_gettop(a.L), 1, long_name) == EncodeStatus::Ok);
  a.run("return {s = string.rep('x', 1000)}");
  CHECK(named.encode(a.L, lua_gettop(a.L), 1, "n") == EncodeStatus::TooLarge);
}
