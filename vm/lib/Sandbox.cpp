#include "vm/lib/Sandbox.h"

#include <cstring>

#include <lua.hpp>

#include "vm/Kernel.h"

namespace moonbox {

namespace {

void open_library(lua_State* L, const char* name, lua_CFunction open) {
  luaL_requiref(L, name, open, 1);
  lua_pop(L, 1);
}

// package: loaded, preload (the built-in modules) and path. No loadlib, no
// cpath, no searchers that reach the host.
void open_package(lua_State* L) {
  lua_createtable(L, 0, 4);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_setfield(L, -2, "loaded");
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, open_ipc);
  lua_setfield(L, -2, "system.ipc");
  lua_pushcfunction(L, open_process);
  lua_setfield(L, -2, "system.process");
  lua_setfield(L, -2, "preload");
  lua_pushliteral(L, "?.lua;?/init.lua;/rom/lib/?.lua;/rom/lib/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "/\n;\n?\n!\n-\n");
  lua_setfield(L, -2, "config");
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "package");
  lua_pop(L, 1);
}

// debug.traceback([thread,] [message [, level]]), as Lua's, written here
// so that the rest of the debug library (locals, upvalues, metatables,
// hooks) is never even created in a process.
int debug_traceback(lua_State* L) {
  int arg = 0;
  lua_State* L1 = L;
  if (lua_isthread(L, 1)) {
    arg = 1;
    L1 = lua_tothread(L, 1);
  }
  const char* msg = lua_tostring(L, arg + 1);
  if (msg == nullptr && !lua_isnoneornil(L, arg + 1)) {
    lua_pushvalue(L, arg + 1);  // a non-string message is returned untouched
  } else {
    int level = static_cast<int>(luaL_optinteger(L, arg + 2, (L == L1) ? 1 : 0));
    luaL_traceback(L, L1, msg, level);
  }
  return 1;
}

void open_debug(lua_State* L) {
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, debug_traceback);
  lua_setfield(L, -2, "traceback");
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, LUA_DBLIBNAME);
  lua_pop(L, 1);
}

void open_utf8(lua_State* L) { luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0); }

// Libraries built the first time a program uses them (through _G's __index,
// or require): most processes never touch most of them, and building each
// at every spawn was a good part of the cost of starting a process.
struct LazyLibrary {
  const char* name;
  void (*open)(lua_State* L);  // pushes the library
};
const LazyLibrary kLazyLibraries[] = {
    {"os", open_os},     {"coroutine", open_coroutine}, {"package", open_package}, {"debug", open_debug},
    {"utf8", open_utf8}, {"fs", open_fs},
};

// _G's __index: builds a global the first time a program uses it. The C
// modules fs and term, and the rom's bios chunks (colors, colours, keys,
// read, io, and the term that forwards to term.redirect's target), cost a
// process nothing until then. Returns nil for any other name.
int lazy_global(lua_State* L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  const char* name = lua_tostring(L, 2);
  Kernel& kernel = Process::from(L).kernel;
  const std::string* chunk = kernel.bios_chunk(name);
  const LazyLibrary* library = nullptr;
  for (const LazyLibrary& lib : kLazyLibraries)
    if (std::strcmp(name, lib.name) == 0) library = &lib;
  if (library) {
    library->open(L);
  } else if (std::strcmp(name, "term") == 0) {
    open_term(L);  // the native terminal
    if (chunk) {
      if (luaL_loadbufferx(L, chunk->data(), chunk->size(), "=/rom/bios/term.lua", "b") != LUA_OK) return lua_error(L);
      lua_insert(L, -2);
      lua_call(L, 1, 1);
    }
  } else if (chunk) {
    lua_pushfstring(L, "=/rom/bios/%s.lua", name);
    if (luaL_loadbufferx(L, chunk->data(), chunk->size(), lua_tostring(L, -1), "b") != LUA_OK) return lua_error(L);
    lua_call(L, 0, 1);
  } else {
    return 0;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

}  // namespace

bool is_lazy_library(const char* name) {
  for (const LazyLibrary& lib : kLazyLibraries)
    if (std::strcmp(name, lib.name) == 0) return true;
  return false;
}

void open_sandbox(lua_State* L) {
  open_base(L);
  open_library(L, LUA_STRLIBNAME, luaopen_string);
  open_library(L, LUA_TABLIBNAME, luaopen_table);
  open_library(L, LUA_MATHLIBNAME, luaopen_math);
  open_sleep(L);

  open_string_matching(L);

  // string.dump turns functions into bytecode; without binary chunks it is
  // useless, and with them it is an escape. Remove it.
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);

  lua_pushglobaltable(L);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, lazy_global);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
}

}  // namespace moonbox
