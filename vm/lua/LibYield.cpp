// Yieldable where CC is: string.gsub with a function, table.sort with a
// comparator and load with a reader function. Lua's own versions call back
// into Lua from C (lua_call), where nothing can yield: a program could not
// pull an event or sleep there, and preemption could not reach it. These
// wrappers hand the work to Lua (rom/moonbox/bios/yieldable_*.lua) or call with a
// continuation (lua_callk), so that every callback can yield.
#include <cstring>

#include "vm/lua/Dialect.h"
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

// Pushes the function a rom chunk returns, built once per process and kept
// in the registry.
void push_rom_function(lua_State* L, const char* name) {
  lua_pushfstring(L, "moonbox.rom.%s", name);
  if (lua_rawget(L, LUA_REGISTRYINDEX) == LUA_TFUNCTION) return;
  lua_pop(L, 1);
  push_needed_bios_chunk(L, name);
  lua_call(L, 0, 1);
  lua_pushfstring(L, "moonbox.rom.%s", name);
  lua_pushvalue(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

// Calls the rom function `name` with the arguments 1..top and returns what
// it returns; it may yield.
int call_rom(lua_State* L, const char* name) {
  int nargs = lua_gettop(L);
  push_rom_function(L, name);
  lua_insert(L, 1);
  lua_callk(L, nargs, LUA_MULTRET, 0, return_results);
  return return_results(L, LUA_OK, 0);
}

// string.gsub: Lua's matcher (with a budget) unless the replacement is a
// function (upvalue 1 is the C gsub). The arguments are checked here, as
// Lua's gsub checks them: called from this C function, its own errors could
// name no function ('?') and show no position.
int gsub(lua_State* L) {
  luaL_checkstring(L, 1);
  luaL_checkstring(L, 2);
  int tr = lua_type(L, 3);
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                   "string/function/table");
  if (!lua_isnoneornil(L, 4)) luaL_checkinteger(L, 4);
  if (tr != LUA_TFUNCTION) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
  }
  lua_settop(L, 4);
  return call_rom(L, "yieldable_gsub");
}

// Lua's check of table.sort's first argument: a table, or a value whose
// metatable has __index, __newindex and __len (ltablib.c's checktab).
void check_sortable(lua_State* L, int arg) {
  if (lua_type(L, arg) == LUA_TTABLE) return;
  bool ok = false;
  if (lua_getmetatable(L, arg)) {
    ok = true;
    for (const char* field : {"__index", "__newindex", "__len"}) {
      lua_pushstring(L, field);
      ok = ok && lua_rawget(L, -2) != LUA_TNIL;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (!ok) luaL_checktype(L, arg, LUA_TTABLE);
}

// table.sort: Lua's unless there is a comparator (upvalue 1 is Lua's sort).
// Its first argument is checked here, for the reason gsub gives.
// True when t's items 1..#t (raw) include a table or a userdata: their
// order may come from a __lt metamethod, which may yield.
bool has_compared_objects(lua_State* L, int t) {
  if (!lua_istable(L, t)) return false;
  lua_Unsigned n = lua_rawlen(L, t);
  for (lua_Unsigned i = 1; i <= n; i++) {
    int type = lua_rawgeti(L, t, static_cast<lua_Integer>(i));
    lua_pop(L, 1);
    if (type == LUA_TTABLE || type == LUA_TUSERDATA) return true;
  }
  return false;
}

int sort(lua_State* L) {
  check_sortable(L, 1);
  if (lua_isnoneornil(L, 2) && has_compared_objects(L, 1)) {
    // Lua's sort compares in C, where a __lt that yields cannot: the Lua
    // sort compares with `<` in Lua, as CC's may.
    lua_settop(L, 1);
    lua_pushnil(L);
    call_rom(L, "yieldable_sort");
    return 0;
  }
  if (lua_isnoneornil(L, 2)) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
  }
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  call_rom(L, "yieldable_sort");
  return 0;
}

// load(reader, ...): the reader is called with a continuation, so it may
// yield; its pieces are collected in a table at index 5, then loaded as one
// string (through the CC dialect loader). Upvalue 1 is the string load.
int load_reader_k(lua_State* L, int, lua_KContext) {
  for (;;) {
    // The reader's last result is on top (after the first call).
    if (lua_gettop(L) > 5) {
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        break;
      }
      if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
      if (lua_rawlen(L, -1) == 0) {
        lua_pop(L, 1);
        break;
      }
      lua_rawseti(L, 5, static_cast<lua_Integer>(lua_rawlen(L, 5)) + 1);
    }
    lua_pushvalue(L, 1);
    lua_callk(L, 0, 1, 0, load_reader_k);
  }
  // table.concat of the pieces
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 5));
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 5, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  lua_replace(L, 1);
  lua_settop(L, 4);
  if (lua_isnoneornil(L, 2)) {
    lua_pushliteral(L, "=(load)");
    lua_replace(L, 2);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 4, LUA_MULTRET);
  return lua_gettop(L);
}

int load(lua_State* L) {
  cc_expect_arg(L, 1, {"function", "string"});
  cc_expect_arg(L, 2, {"string", "nil"});
  cc_expect_arg(L, 3, {"string", "nil"});
  cc_expect_arg(L, 4, {"table", "nil"});
  if (lua_type(L, 1) != LUA_TFUNCTION) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
  }
  lua_settop(L, 4);
  lua_newtable(L);  // 5: the pieces
  return load_reader_k(L, LUA_OK, 0);
}

// Replaces t[name] (t at index `table`) by fn with the original as upvalue.
void wrap(lua_State* L, int table, const char* name, lua_CFunction fn) {
  lua_getfield(L, table, name);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, table, name);
}

}  // namespace

void make_sort_yieldable(lua_State* L, int table) { wrap(L, table, "sort", sort); }

void open_yieldable(lua_State* L) {
  lua_getglobal(L, LUA_STRLIBNAME);
  wrap(L, lua_gettop(L), "gsub", gsub);
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  lua_getfield(L, -1, "load");
  lua_pushcclosure(L, load, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "load");
  lua_setfield(L, -2, "loadstring");
  lua_pop(L, 1);
}

}  // namespace moonbox
