// term as programs see it: every function calls the same function of the
// current redirect target, as CC's term API does, with redirect, current and
// native beside them.
//
// It is C, not Lua, for memory: a Lua wrapper per function, a second table
// of the native functions and the Lua writers cost a process that only ever
// wrote to its own screen some 10 KiB. Here, while nothing is redirected, a
// function runs the native C function in its own frame; the native table
// (term.native()) and CC's Lua print/write/printError (rom/apis/term.lua)
// are built the first time a program asks for them.
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

// Registry keys (their addresses).
char kTarget;   // the redirect target; nil while it is the native terminal
char kNative;   // term.native(), once built
char kTerm;     // the table of this file
char kWriters;  // {rom print, write, printError, C print, write, printError}

const luaL_Reg* entry(lua_State* L) {
  return static_cast<const luaL_Reg*>(lua_touserdata(L, lua_upvalueindex(2)));
}

// A term function (upvalues: false for CC's argument errors, and the
// native function's luaL_Reg entry).
int term_forward(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kTarget) == LUA_TNIL) {
    lua_pop(L, 1);
    return call_locked(L, entry(L)->func);  // in this frame: errors point at the caller
  }
  lua_getfield(L, -1, entry(L)->name);
  lua_replace(L, -2);
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, return_results);
  return lua_gettop(L);
}

void push_native(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kNative) != LUA_TNIL) return;
  lua_pop(L, 1);
  new_cc_module(L, terminal_methods());
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kNative);
}

void push_current(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kTarget) != LUA_TNIL) return;
  lua_pop(L, 1);
  push_native(L);
}

// What a redirect target lacks raises this, at the program's call.
int missing_method(lua_State* L) {
  luaL_where(L, 2);  // 1 is term's forwarding function
  lua_pushfstring(L, "Redirect object is missing method %s.", lua_tostring(L, lua_upvalueindex(1)));
  lua_concat(L, 2);
  return lua_error(L);
}

// The writers table: the C print, write and printError as they were before
// the first redirect, then CC's Lua ones that wrap words through term.
void push_writers(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kWriters) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_createtable(L, 6, 0);
  push_needed_bios_chunk(L, "term");
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kTerm);
  lua_call(L, 1, 3);
  for (int i = 3; i >= 1; i--) lua_rawseti(L, -1 - i, i);
  static const char* const kNames[] = {"print", "write", "printError"};
  for (int i = 0; i < 3; i++) {
    lua_getglobal(L, kNames[i]);
    lua_rawseti(L, -2, 4 + i);
  }
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kWriters);
}

// Installs the Lua writers (first = 1) or the C ones (first = 4).
void set_writers(lua_State* L, int first) {
  static const char* const kNames[] = {"print", "write", "printError"};
  push_writers(L);
  for (int i = 0; i < 3; i++) {
    lua_rawgeti(L, -1, first + i);
    lua_setglobal(L, kNames[i]);
  }
  lua_pop(L, 1);
}

int term_redirect(lua_State* L) {
  cc_expect_arg(L, 1, {"table"});
  lua_settop(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kTerm);
  lua_getglobal(L, "term");
  if (lua_rawequal(L, 1, 2) || lua_rawequal(L, 1, 3))
    return luaL_error(L, "term is not a recommended redirect target, try term.current() instead");
  lua_settop(L, 1);
  for (const luaL_Reg* f = terminal_methods(); f->name; f++) {
    bool has = lua_getfield(L, 1, f->name) == LUA_TFUNCTION;
    lua_pop(L, 1);
    if (has) continue;
    lua_pushstring(L, f->name);
    lua_pushcclosure(L, missing_method, 1);
    lua_setfield(L, 1, f->name);
  }
  push_current(L);  // the result
  push_native(L);
  bool native = lua_rawequal(L, 1, -1);
  lua_pop(L, 1);
  if (native) lua_pushnil(L);
  else lua_pushvalue(L, 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kTarget);
  if (native) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kWriters) != LUA_TNIL) set_writers(L, 4);
    lua_pop(L, 1);
  } else {
    set_writers(L, 1);
  }
  return 1;
}

int term_current(lua_State* L) {
  push_current(L);
  return 1;
}

int term_native(lua_State* L) {
  push_native(L);
  return 1;
}

}  // namespace

int open_term_global(lua_State* L) {
  const luaL_Reg* natives = terminal_methods();
  lua_createtable(L, 0, 32);
  for (const luaL_Reg* f = natives; f->name; f++) {
    lua_pushboolean(L, 0);
    lua_pushlightuserdata(L, const_cast<luaL_Reg*>(f));
    lua_pushcclosure(L, term_forward, 2);
    lua_setfield(L, -2, f->name);
  }
  static const luaL_Reg own[] = {
      {"redirect", term_redirect}, {"current", term_current}, {"native", term_native}, {nullptr, nullptr}};
  for (const luaL_Reg* f = own; f->name; f++) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kTerm);
  return 1;
}

}  // namespace moonbox
