// debug: the debug library within the process, as far as it cannot reach
// past the process's own Lua code (ARCHITECTURE.md's sandbox, as README's
// Isolation section refines it):
// - traceback, getinfo, getlocal/setlocal, getupvalue/setupvalue,
//   upvalueid/upvaluejoin, getmetatable/setmetatable;
// - locals only of Lua frames, upvalues only of Lua closures, and getinfo
//   never hands out a C function: C frames and C closures hold moonbox's
//   internals (the originals its wrappers call);
// - setmetatable refuses userdata (the kernel's handles rely on theirs);
// - no getregistry (the kernel's references) and no sethook/gethook (the
//   kernel's preemption owns the hook).
#include <cstring>

#include "vm/lib/Binding.h"
#include "vm/lib/Sandbox.h"

namespace moonbox {

namespace {

// [thread,] as the first argument: the thread to look at, and the index of
// the argument after it.
lua_State* thread_arg(lua_State* L, int* arg) {
  if (lua_isthread(L, 1)) {
    *arg = 1;
    return lua_tothread(L, 1);
  }
  *arg = 0;
  return L;
}

// traceback([thread,] [message [, level]]), as Lua's.
int debug_traceback(lua_State* L) {
  int arg;
  lua_State* L1 = thread_arg(L, &arg);
  const char* msg = lua_tostring(L, arg + 1);
  if (msg == nullptr && !lua_isnoneornil(L, arg + 1)) {
    lua_pushvalue(L, arg + 1);  // a non-string message is returned untouched
  } else {
    int level = static_cast<int>(luaL_optinteger(L, arg + 2, (L == L1) ? 1 : 0));
    luaL_traceback(L, L1, msg, level);
  }
  return 1;
}

// True when the function on top of L is a Lua function (pops nothing).
bool top_is_lua_function(lua_State* L) { return lua_isfunction(L, -1) && !lua_iscfunction(L, -1); }

void set_string(lua_State* L, const char* key, const char* value) {
  lua_pushstring(L, value);
  lua_setfield(L, -2, key);
}
void set_int(lua_State* L, const char* key, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, key);
}
void set_bool(lua_State* L, const char* key, bool value) {
  lua_pushboolean(L, value);
  lua_setfield(L, -2, key);
}

// getinfo([thread,] f | level [, what]): Lua's fields for the options asked
// (S l u n t f L; r is left out). A C function is described but never
// returned in func.
int debug_getinfo(lua_State* L) {
  int arg;
  lua_State* L1 = thread_arg(L, &arg);
  const char* what = luaL_optstring(L, arg + 2, "flnStu");
  for (const char* c = what; *c; c++)
    if (!std::strchr("SlnutfL", *c)) luaL_argerror(L, arg + 2, "invalid option");
  char options[16] = ">";
  std::strncat(options, what, sizeof options - 2);
  lua_Debug ar;
  if (lua_isfunction(L, arg + 1)) {
    lua_pushvalue(L, arg + 1);
    if (!lua_getinfo(L, options, &ar)) luaL_argerror(L, arg + 2, "invalid option");
  } else {
    lua_Integer level = luaL_checkinteger(L, arg + 1);
    if (level < 0 || level > 1000000 || !lua_getstack(L1, static_cast<int>(level), &ar)) {
      lua_pushnil(L);
      return 1;
    }
    if (!lua_getinfo(L1, options + 1, &ar)) luaL_argerror(L, arg + 2, "invalid option");
    // what f and L pushed, in that order, onto L1: brought over to L
    int pushed = (std::strchr(what, 'f') ? 1 : 0) + (std::strchr(what, 'L') ? 1 : 0);
    if (pushed && L1 != L) lua_xmove(L1, L, pushed);
  }
  // the values lua_getinfo pushed (func, then activelines) sit on top
  int lines_at = std::strchr(what, 'L') ? lua_gettop(L) : 0;
  int func_at = std::strchr(what, 'f') ? lua_gettop(L) - (lines_at ? 1 : 0) : 0;
  lua_createtable(L, 0, 16);
  if (std::strchr(what, 'S')) {
    set_string(L, "source", ar.source);
    set_string(L, "short_src", ar.short_src);
    set_int(L, "linedefined", ar.linedefined);
    set_int(L, "lastlinedefined", ar.lastlinedefined);
    set_string(L, "what", ar.what);
  }
  if (std::strchr(what, 'l')) set_int(L, "currentline", ar.currentline);
  if (std::strchr(what, 'u')) {
    set_int(L, "nups", ar.nups);
    set_int(L, "nparams", ar.nparams);
    set_bool(L, "isvararg", ar.isvararg);
  }
  if (std::strchr(what, 'n')) {
    if (ar.name) set_string(L, "name", ar.name);
    set_string(L, "namewhat", ar.namewhat ? ar.namewhat : "");
  }
  if (std::strchr(what, 't')) set_bool(L, "istailcall", ar.istailcall);
  if (lines_at) {
    lua_pushvalue(L, lines_at);
    lua_setfield(L, -2, "activelines");
  }
  if (func_at) {
    lua_pushvalue(L, func_at);
    if (top_is_lua_function(L)) lua_setfield(L, -2, "func");
    else lua_pop(L, 1);  // a C function stays where it is
  }
  return 1;
}

// The frame at `level` of L1 when it is a Lua function's; raises for a level
// out of range, false for a C frame (whose slots are not the program's).
bool lua_frame(lua_State* L, lua_State* L1, int arg, lua_Debug* ar) {
  lua_Integer level = luaL_checkinteger(L, arg);
  if (level < 0 || level > 1000000 || !lua_getstack(L1, static_cast<int>(level), ar))
    luaL_argerror(L, arg, "level out of range");
  lua_getinfo(L1, "S", ar);
  return std::strcmp(ar->what, "C") != 0;
}

// getlocal([thread,] level | f, n): a Lua frame's local (name, value), or a
// Lua function's parameter name.
int debug_getlocal(lua_State* L) {
  int arg;
  lua_State* L1 = thread_arg(L, &arg);
  int n = static_cast<int>(luaL_checkinteger(L, arg + 2));
  if (lua_isfunction(L, arg + 1)) {
    lua_pushvalue(L, arg + 1);
    if (!top_is_lua_function(L)) return 0;
    lua_pushstring(L, lua_getlocal(L, nullptr, n));
    return 1;
  }
  lua_Debug ar;
  if (!lua_frame(L, L1, arg + 1, &ar)) return 0;
  const char* name = lua_getlocal(L1, &ar, n);
  if (!name) return 0;
  lua_xmove(L1, L, 1);
  lua_pushstring(L, name);
  lua_rotate(L, -2, 1);
  return 2;
}

// setlocal([thread,] level, n, value): a Lua frame's local; its name.
int debug_setlocal(lua_State* L) {
  int arg;
  lua_State* L1 = thread_arg(L, &arg);
  int n = static_cast<int>(luaL_checkinteger(L, arg + 2));
  luaL_checkany(L, arg + 3);
  lua_Debug ar;
  if (!lua_frame(L, L1, arg + 1, &ar)) return 0;
  lua_settop(L, arg + 3);
  lua_xmove(L, L1, 1);
  const char* name = lua_setlocal(L1, &ar, n);
  if (!name) lua_pop(L1, 1);  // nothing was set: the value is still there
  lua_pushstring(L, name);
  return 1;
}

// The Lua closure at arg: raises for a non-function, false for a C function.
bool lua_closure(lua_State* L, int arg) {
  luaL_checktype(L, arg, LUA_TFUNCTION);
  return !lua_iscfunction(L, arg);
}

// getupvalue(f, n) -> name, value (a Lua closure's)
int debug_getupvalue(lua_State* L) {
  int n = static_cast<int>(luaL_checkinteger(L, 2));
  if (!lua_closure(L, 1)) return 0;
  const char* name = lua_getupvalue(L, 1, n);
  if (!name) return 0;
  lua_pushstring(L, name);
  lua_insert(L, -2);
  return 2;
}

// setupvalue(f, n, value) -> name (a Lua closure's)
int debug_setupvalue(lua_State* L) {
  int n = static_cast<int>(luaL_checkinteger(L, 2));
  luaL_checkany(L, 3);
  if (!lua_closure(L, 1)) return 0;
  lua_settop(L, 3);
  const char* name = lua_setupvalue(L, 1, n);
  if (!name) return 0;
  lua_pushstring(L, name);
  return 1;
}

// The id of a Lua closure's upvalue n; raises for an invalid index.
void* upvalue_id(lua_State* L, int f, int n_arg) {
  int n = static_cast<int>(luaL_checkinteger(L, n_arg));
  if (!lua_closure(L, f)) luaL_argerror(L, f, "Lua function expected");
  lua_Debug ar;
  lua_pushvalue(L, f);
  lua_getinfo(L, ">u", &ar);
  if (n < 1 || n > ar.nups) luaL_argerror(L, n_arg, "invalid upvalue index");
  return lua_upvalueid(L, f, n);
}

int debug_upvalueid(lua_State* L) {
  lua_pushlightuserdata(L, upvalue_id(L, 1, 2));
  return 1;
}

// upvaluejoin(f1, n1, f2, n2): f1's upvalue n1 becomes f2's upvalue n2.
int debug_upvaluejoin(lua_State* L) {
  upvalue_id(L, 1, 2);
  upvalue_id(L, 3, 4);
  lua_upvaluejoin(L, 1, static_cast<int>(lua_tointeger(L, 2)), 3, static_cast<int>(lua_tointeger(L, 4)));
  return 0;
}

int debug_getmetatable(lua_State* L) {
  luaL_checkany(L, 1);
  if (!lua_getmetatable(L, 1)) lua_pushnil(L);
  return 1;
}

// setmetatable(value, table | nil) -> value; not for userdata.
int debug_setmetatable(lua_State* L) {
  int t = lua_type(L, 2);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (lua_type(L, 1) == LUA_TUSERDATA || lua_type(L, 1) == LUA_TLIGHTUSERDATA)
    luaL_argerror(L, 1, "cannot change a userdata's metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

const luaL_Reg debug_functions[] = {
    {"traceback", debug_traceback},     {"getinfo", debug_getinfo},
    {"getlocal", debug_getlocal},       {"setlocal", debug_setlocal},
    {"getupvalue", debug_getupvalue},   {"setupvalue", debug_setupvalue},
    {"upvalueid", debug_upvalueid},     {"upvaluejoin", debug_upvaluejoin},
    {"getmetatable", debug_getmetatable}, {"setmetatable", debug_setmetatable},
    {nullptr, nullptr},
};

}  // namespace

int open_debug(lua_State* L) {
  luaL_newlib(L, debug_functions);
  return 1;
}

}  // namespace moonbox
