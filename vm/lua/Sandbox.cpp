#include "vm/lua/Sandbox.h"
#include "vm/lua/LibHttp.h"

#include <cstring>

#include <lua.hpp>

#include "vm/machine/Computer.h"
#include "vm/kernel/Kernel.h"
#include "vm/lua/Bios.h"
#include "vm/lua/Binding.h"

namespace moonbox {

namespace {

// package: loaded, preload (empty: built-in modules come from the module
// table) and path. No loadlib, no cpath, no searchers that reach the host.
int open_package(lua_State* L) {
  lua_createtable(L, 0, 4);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_setfield(L, -2, "loaded");
  lua_newtable(L);
  lua_setfield(L, -2, "preload");
  lua_pushliteral(L, "?;?.lua;?/init.lua;/rom/modules/main/?;/rom/modules/main/?.lua;/rom/modules/main/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "/\n;\n?\n!\n-\n");
  lua_setfield(L, -2, "config");
  return 1;
}

// A C module completed by the rom: rom/moonbox/bios/NAME.lua is called with the C
// module and adds CC's functions written in Lua (os.run, fs.find...). Most
// programs never call them, so they are added the first time a program
// reads a name the C module lacks or walks it with pairs: until then the
// module has a metatable whose __index and __pairs know the chunk's name
// (upvalue 2; upvalue 1 is their own name, for argument errors). The chunk
// fills a table of its own, whose names go into the module only where a
// program has not set them first.
void complete_module(lua_State* L, int module) {
  check_table(L, module);  // a program can reach the metamethods (getmetatable(os))
  const char* name = lua_tostring(L, lua_upvalueindex(2));
  lua_pushnil(L);
  lua_setmetatable(L, module);
  lua_createtable(L, 0, 4);  // the chunk's own table, reading the module's
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, module);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  int own = lua_gettop(L);
  push_needed_bios_chunk(L, name);
  lua_pushvalue(L, own);
  lua_call(L, 1, 0);
  lua_pushnil(L);
  while (lua_next(L, own)) {
    lua_pushvalue(L, -2);
    if (lua_rawget(L, module) == LUA_TNIL) {
      lua_pushvalue(L, -3);
      lua_pushvalue(L, -3);
      lua_rawset(L, module);
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);  // own
}

int complete_on_index(lua_State* L) {
  complete_module(L, 1);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

// next, as pairs returns it (the global may have been replaced).
int raw_next(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

int complete_on_pairs(lua_State* L) {
  complete_module(L, 1);
  lua_pushcfunction(L, raw_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

int complete_lazily(lua_State* L, const char* name) {
  if (!find_bios_chunk(L, name)) return 1;
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "__index");
  lua_pushstring(L, name);
  lua_pushcclosure(L, complete_on_index, 2);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "__pairs");
  lua_pushstring(L, name);
  lua_pushcclosure(L, complete_on_pairs, 2);
  lua_setfield(L, -2, "__pairs");
  lua_setmetatable(L, -2);
  return 1;
}

int open_os_global(lua_State* L) {
  open_os(L);
  return complete_lazily(L, "os");
}

int open_fs_global(lua_State* L) {
  open_fs(L);
  return complete_lazily(L, "fs");
}

// When a module is built. Building a library at every spawn was a good part
// of the cost of starting a process, and most processes never touch most of
// them: those are built the first time a program uses the global (through
// _G's __index) or requires them.
enum class Load {
  AtStart,     // a global, built with the state
  OnFirstUse,  // a global, built on first use or require
  OnRequire,   // require() only (system.*)
};

struct Module {
  const char* name;
  lua_CFunction open;  // pushes the module
  Load load;
};

// Every built-in module, in one place.
const Module kModules[] = {
    {LUA_STRLIBNAME, luaopen_string, Load::AtStart},
    {LUA_TABLIBNAME, open_table, Load::OnFirstUse},
    {LUA_MATHLIBNAME, open_math, Load::OnFirstUse},
    {LUA_OSLIBNAME, open_os_global, Load::OnFirstUse},
    {LUA_COLIBNAME, open_coroutine, Load::OnFirstUse},
    {LUA_LOADLIBNAME, open_package, Load::OnFirstUse},
    {LUA_DBLIBNAME, open_debug, Load::OnFirstUse},
    {LUA_UTF8LIBNAME, luaopen_utf8, Load::OnFirstUse},
    {LUA_IOLIBNAME, open_io, Load::OnFirstUse},
    {"fs", open_fs_global, Load::OnFirstUse},
    {"term", open_term_global, Load::OnFirstUse},
    {"redstone", open_redstone, Load::OnFirstUse},
    {"http", open_http, Load::OnFirstUse},
    {"periphemu", open_periphemu, Load::OnFirstUse},
    {"system.peripheral", open_peripheral, Load::OnRequire},
    {"system.ipc", open_ipc, Load::OnRequire},
    {"system.process", open_process, Load::OnRequire},
    {"cc.expect", open_expect, Load::OnRequire},
    {"system.terminal", open_terminal, Load::OnRequire},
    {"system.config", open_config, Load::OnRequire},
};

const Module* find_module(const char* name) {
  for (const Module& m : kModules)
    if (std::strcmp(name, m.name) == 0) return &m;
  return nullptr;
}

// _G's __index: builds a global the first time a program uses it: a lazy
// module, or one of the rom's bios chunks (colors, colours, keys, read,
// window...). Returns nil for any other name.
// True when lazy global `name` was built or set before (and marks it so).
bool taken_global(lua_State* L, const char* name) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, "moonbox.globals_taken");
  bool taken = lua_getfield(L, -1, name) != LUA_TNIL;
  lua_pop(L, 1);
  if (!taken) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, name);
  }
  lua_pop(L, 1);
  return taken;
}

// _G's __newindex: a program that sets a lazy module's global (a stub
// http) owns the name from then on: removing it later leaves it nil.
int lazy_newindex(lua_State* L) {
  check_table(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING) {
    const Module* m = find_module(lua_tostring(L, 2));
    if (m && m->load == Load::OnFirstUse) taken_global(L, m->name);
  }
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 0;
}

int lazy_global(lua_State* L) {
  check_table(L, 1);  // a program can call it (getmetatable(_G).__index)
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  const char* name = lua_tostring(L, 2);
  const Module* m = find_module(name);
  if (m && m->load == Load::OnFirstUse) {
    // Built once: a program that then removes it (_G.http = nil) finds it
    // gone, as in CC, instead of built again; so does one that set it
    // first (lazy_newindex).
    if (taken_global(L, name)) return 0;
    luaL_requiref(L, m->name, m->open, 1);
    return 1;
  }
  if (std::strcmp(name, "unpack") == 0) {  // Lua 5.1's, now table.unpack
    require_builtin(L, LUA_TABLIBNAME);
    lua_getfield(L, -1, "unpack");
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
  }
  if (!push_bios_chunk(L, name)) return 0;
  lua_call(L, 0, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

}  // namespace

const std::string* find_bios_chunk(lua_State* L, const char* name) {
  Computer& c = static_cast<Computer&>(Process::from(L).kernel().host());
  return bios_chunk(c.vfs().rom(), name, c.console());
}

bool push_bios_chunk(lua_State* L, const char* name) {
  const std::string* chunk = find_bios_chunk(L, name);
  if (!chunk) return false;
  // A binary chunk keeps the name it was compiled with (@/rom/apis/NAME.lua or @/rom/moonbox/bios/NAME.lua).
  if (luaL_loadbufferx(L, chunk->data(), chunk->size(), name, "b") != LUA_OK) lua_error(L);
  return true;
}

void push_needed_bios_chunk(lua_State* L, const char* name) {
  if (!push_bios_chunk(L, name)) luaL_error(L, "the rom's %s.lua is missing", name);
}

bool require_builtin(lua_State* L, const char* name) {
  const Module* m = find_module(name);
  if (!m) return false;
  luaL_requiref(L, m->name, m->open, m->load != Load::OnRequire);
  return true;
}

void open_sandbox(lua_State* L) {
  open_base(L);
  for (const Module& m : kModules) {
    if (m.load != Load::AtStart) continue;
    luaL_requiref(L, m.name, m.open, 1);
    lua_pop(L, 1);
  }
  open_string_matching(L);
  open_old_globals(L);
  open_yieldable(L);
  // CC's globals: where the program runs, and settings' defaults.
  lua_pushliteral(L, "ComputerCraft 1.109.0 (moonbox " MOONBOX_VERSION_STRING ")");
  lua_setglobal(L, "_HOST");
  lua_pushliteral(L, "");
  lua_setglobal(L, "_CC_DEFAULT_SETTINGS");

  // string.dump turns functions into bytecode; without binary chunks it is
  // useless, and with them it is an escape. Remove it.
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);

  lua_pushglobaltable(L);
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "__index");  // its name in argument errors
  lua_pushcclosure(L, lazy_global, 1);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "__newindex");
  lua_pushcclosure(L, lazy_newindex, 1);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
}

}  // namespace moonbox
