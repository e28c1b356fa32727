// cc.expect: CC:Tweaked's argument checks, in C so that the message can name
// the calling function (CC uses debug.getinfo, which the sandbox does not
// give programs). The words follow CC:Tweaked exactly:
//   bad argument #1 to 'worker' (string or number expected, got nil)
//   bad field 'k' (number expected, got string) / field 'k' missing from table
//   number outside of range (expected 2 to be within 0 and 1)
#include <cmath>
#include <cstdio>
#include <cstring>

#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

// The type name CC shows: a metatable's __name when it is a string.
const char* display_type(lua_State* L, int idx) {
  if (luaL_getmetafield(L, idx, "__name") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TSTRING) return lua_tostring(L, -1);  // stays on the stack
    lua_pop(L, 1);
  }
  return luaL_typename(L, idx);
}

// True when the value at idx has one of the types named from arg `first` on.
bool has_type(lua_State* L, int idx, int first, int last) {
  const char* t = luaL_typename(L, idx);
  for (int i = first; i <= last; i++) {
    const char* want = luaL_checkstring(L, i);
    if (std::strcmp(t, want) == 0) return true;
  }
  return false;
}

// "string", "string or number", "string, table or number". As CC does,
// "nil" is left out of a list of several types; a list of one (or of only
// nil) names the first type given.
const char* type_names(lua_State* L, int first, int last) {
  int shown = 0;
  for (int i = first; i <= last; i++)
    if (std::strcmp(lua_tostring(L, i), "nil") != 0) shown++;
  if (shown <= 1) return lua_tostring(L, first);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int n = 0;
  for (int i = first; i <= last; i++) {
    if (std::strcmp(lua_tostring(L, i), "nil") == 0) continue;
    if (n++ > 0) luaL_addstring(&b, n == shown ? " or " : ", ");
    luaL_addstring(&b, lua_tostring(L, i));
  }
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

// Raises msg at the position of the checked function's caller (CC's level 3).
[[noreturn]] void raise_at_caller(lua_State* L, const char* msg) {
  luaL_where(L, 2);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  lua_error(L);
  std::abort();
}

// expect(index, value, ...types)
int expect_expect(lua_State* L) {
  lua_Integer index = luaL_checkinteger(L, 1);
  int last = lua_gettop(L);
  if (last < 2) lua_settop(L, last = 2);
  if (has_type(L, 2, 3, last)) {
    lua_settop(L, 2);
    return 1;
  }
  const char* names = type_names(L, 3, last);
  const char* got = display_type(L, 2);
  lua_Debug ar;
  const char* fn = nullptr;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "nS", &ar) && ar.name && *ar.name && std::strcmp(ar.what, "C") != 0)
    fn = ar.name;
  if (fn) raise_at_caller(L, lua_pushfstring(L, "bad argument #%I to '%s' (%s expected, got %s)", index, fn, names, got));
  raise_at_caller(L, lua_pushfstring(L, "bad argument #%I (%s expected, got %s)", index, names, got));
}

// field(tbl, key, ...types)
int expect_field(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char* key = luaL_checkstring(L, 2);
  int last = lua_gettop(L);
  lua_getfield(L, 1, key);
  lua_replace(L, 2);  // the field's value takes the key's place
  if (has_type(L, 2, 3, last)) {
    lua_settop(L, 2);
    return 1;
  }
  if (lua_isnil(L, 2)) raise_at_caller(L, lua_pushfstring(L, "field '%s' missing from table", key));
  const char* names = type_names(L, 3, last);
  raise_at_caller(L, lua_pushfstring(L, "bad field '%s' (%s expected, got %s)", key, names, display_type(L, 2)));
}

// range(num, min, max): min and max default to -inf and inf.
int expect_range(lua_State* L) {
  lua_Number num = luaL_checknumber(L, 1);
  lua_Number min = luaL_optnumber(L, 2, -HUGE_VAL);
  lua_Number max = luaL_optnumber(L, 3, HUGE_VAL);
  if (num >= min && num <= max) {
    lua_settop(L, 1);
    return 1;
  }
  // Each number as CC shows it (1, not 1.0).
  const char* a = push_cc_number(L, num);
  const char* lo = push_cc_number(L, min);
  const char* hi = push_cc_number(L, max);
  raise_at_caller(L, lua_pushfstring(L, "number outside of range (expected %s to be within %s and %s)", a, lo, hi));
}

int expect_call(lua_State* L) {
  lua_remove(L, 1);  // the module table
  return expect_expect(L);
}

}  // namespace

void cc_expect_arg(lua_State* L, int arg, std::initializer_list<const char*> types, int shown_as, bool named) {
  const char* got = lua_isnone(L, arg) ? "nil" : luaL_typename(L, arg);  // a missing argument is nil
  for (const char* want : types)
    if (std::strcmp(got, want) == 0) return;
  // "a, b or c", nil left out of a list of several, as cc.expect words it
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  std::size_t shown = 0, total = 0;
  for (const char* want : types)
    if (std::strcmp(want, "nil") != 0) total++;
  for (const char* want : types) {
    if (total > 1 && std::strcmp(want, "nil") == 0) continue;
    if (shown > 0) luaL_addstring(&b, shown + 1 == total ? " or " : ", ");
    luaL_addstring(&b, want);
    shown++;
    if (total <= 1) break;
  }
  luaL_pushresult(&b);
  const char* names = lua_tostring(L, -1);
  if (shown_as != 0) arg = shown_as;
  lua_Debug ar;
  if (named && lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name)
    luaL_error(L, "bad argument #%d to '%s' (%s expected, got %s)", arg, ar.name, names, got);
  luaL_error(L, "bad argument #%d (%s expected, got %s)", arg, names, got);
}

const char* push_cc_number(lua_State* L, lua_Number n) {
  if (std::isnan(n)) return lua_pushstring(L, std::signbit(n) ? "-nan" : "nan");
  if (std::isinf(n)) return lua_pushstring(L, n < 0 ? "-inf" : "inf");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14g", n);
  return lua_pushstring(L, buf);
}

int open_expect(lua_State* L) {
  static const luaL_Reg functions[] = {
      {"expect", expect_expect}, {"field", expect_field}, {"range", expect_range}, {nullptr, nullptr}};
  luaL_newlib(L, functions);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, expect_call);
  lua_setfield(L, -2, "__call");
  lua_setmetatable(L, -2);
  return 1;
}

}  // namespace moonbox
