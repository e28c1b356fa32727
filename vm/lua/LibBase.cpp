// The base library as a process sees it: print to the console, text-only
// load, and dofile/loadfile/require that read the virtual file system.
#include <cmath>
#include <cstring>

#include "vm/lua/ChunkCache.h"
#include "vm/lua/Dialect.h"
#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

// The arguments as one string, each through tostring, joined by sep (CC's
// print and printError use a tab, write nothing). Leaves it on the stack.
std::string_view join_args(lua_State* L, const char* sep) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addstring(&b, sep);
    luaL_tolstring(L, i, nullptr);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  std::size_t len;
  const char* text = lua_tolstring(L, -1, &len);
  return {text, len};
}

enum class Output { Line, Text, Error };

// print, write and printError; with `stty tostop` a background process is
// stopped first and writes when it is continued.
int output_k(lua_State* L, int, lua_KContext kind) {
  Process& self = current_process(L);
  if (stop_for_output(L)) return yield_to_kernel<output_k>(L, kind);
  // On a virtual terminal, output goes to it as CC's print draws on a
  // terminal; on the computer's, to the console (the screen, or stdout).
  TerminalConsole on_tty(current_computer(L).terminal_of(self));
  Console& console = self.tty() == 0 ? current_computer(L).console() : on_tty;
  switch (static_cast<Output>(kind)) {
    case Output::Line: console.write_line(self.pid(), join_args(L, "\t")); break;
    case Output::Text: console.write_text(self.pid(), join_args(L, "")); break;
    case Output::Error: console.write_error(self.pid(), join_args(L, "\t")); break;
  }
  return 0;
}

int base_print(lua_State* L) { return output_k(L, LUA_OK, static_cast<lua_KContext>(Output::Line)); }

// write(...): like print without the newline (CC's bios write).
int base_write(lua_State* L) {
  cc_expect_arg(L, 1, {"string", "number"});
  return output_k(L, LUA_OK, static_cast<lua_KContext>(Output::Text));
}

// printError(...): print to the process's error output (red on the screen).
int base_printError(lua_State* L) { return output_k(L, LUA_OK, static_cast<lua_KContext>(Output::Error)); }

// load(chunk [, chunkname [, mode [, env]]]) with the mode forced to text:
// binary chunks can forge bytecode that escapes the VM. A string chunk is
// loaded through the CC dialect loader (vm/Dialect.h).
int base_load(lua_State* L) {
  if (lua_type(L, 1) == LUA_TSTRING) {
    std::size_t len;
    const char* source = lua_tolstring(L, 1, &len);
    const char* chunkname = luaL_optstring(L, 2, source);
    luaL_optstring(L, 3, "bt");
    int env = lua_isnone(L, 4) ? 0 : 4;
    if (load_cc_chunk(L, {source, len}, chunkname, "t") != LUA_OK) {
      lua_pushnil(L);
      lua_insert(L, -2);
      return 2;
    }
    if (env) {
      lua_pushvalue(L, env);
      if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
  }
  lua_settop(L, 4);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 4, LUA_MULTRET);
  return lua_gettop(L);
}

// Reads vpath from the virtual file system and loads it as a text chunk.
// Plain C++ around lua_load, which never raises (it returns a status), so
// the file's text may live here. -1 when the file cannot be read.
int load_vfs_chunk(lua_State* L, const Vfs& vfs, const char* vpath, const char* chunkname) {
  auto text = vfs.read_file(vpath);
  if (!text) return -1;
  return load_rom_chunk(L, *text, chunkname);  // the rom's files: compiled once per host
}

// The string argument at arg (its type already checked), refused when it
// cannot be a path: a NUL would make "/a\0.txt" load "/a".
const char* check_path_arg(lua_State* L, int arg) {
  std::size_t len;
  const char* path = lua_tolstring(L, arg, &len);
  if (const char* why = bad_path_reason({path, len})) luaL_argerror(L, arg, why);
  return path;
}

// Loads path (relative to `base`) as a text chunk; pushes the function, or
// nil and a message.
int load_file(lua_State* L, const char* path, int env, std::string_view base) {
  const char* vpath = push_normalized_path(L, path, base);
  const char* chunkname = lua_pushfstring(L, "@%s", vpath);  // "@/a/b.lua", as CC names files
  int status = load_vfs_chunk(L, current_computer(L).vfs(), vpath, chunkname);
  if (status < 0) {
    lua_pop(L, 2);  // the path and the chunk name
    lua_pushnil(L);
    lua_pushliteral(L, "File not found");  // CC's words
    return 2;
  }
  lua_remove(L, -2);  // the chunk name
  lua_remove(L, -2);  // the path
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if (env != 0) {
    lua_pushvalue(L, env);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return 1;
}

// loadfile(path [, mode [, env]]), and CC's old loadfile(path, env).
int base_loadfile(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE && lua_isnoneornil(L, 3)) {  // loadfile(path, env)
    lua_settop(L, 2);
    lua_pushnil(L);
    lua_insert(L, 2);
  }
  cc_expect_arg(L, 1, {"string"});
  cc_expect_arg(L, 2, {"string", "nil"});  // mode: always text
  cc_expect_arg(L, 3, {"table", "nil"});
  return load_file(L, check_path_arg(L, 1), lua_isnoneornil(L, 3) ? 0 : 3, "/");
}

int base_dofile(lua_State* L) {
  cc_expect_arg(L, 1, {"string"});
  const char* path = check_path_arg(L, 1);
  lua_settop(L, 1);
  if (load_file(L, path, 0, "/") != 1) return lua_error(L);
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

// require(name): package.loaded, then the built-in modules (system.*, and
// the libraries built on first use), then package.preload, then
// package.path on the virtual file system.
int base_require(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
    // CC's require checks with cc.expect: the name only when it is known.
    lua_Debug ar;
    const char* got = luaL_typename(L, 1);
    if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name)
      return luaL_error(L, "bad argument #1 to '%s' (string expected, got %s)", ar.name, got);
    return luaL_error(L, "bad argument #1 (string expected, got %s)", got);
  }
  const char* name = check_path_arg(L, 1);  // a module name becomes a path
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  // 2
  lua_getfield(L, 2, name);
  if (lua_toboolean(L, -1)) return 1;
  lua_pop(L, 1);
  if (require_builtin(L, name)) return 1;  // building it registers it
  lua_getglobal(L, "package");  // 3
  if (!lua_istable(L, 3)) return luaL_error(L, "package table is missing");
  lua_getfield(L, 3, "preload");
  if (lua_istable(L, -1) && lua_getfield(L, -1, name) != LUA_TNIL) {
    lua_pushstring(L, name);
    lua_pushliteral(L, ":preload:");
    lua_call(L, 2, 1);
  } else {
    lua_settop(L, 3);
    lua_getfield(L, 3, "path");
    const char* templates = lua_tostring(L, -1);
    if (!templates) return luaL_error(L, "package.path must be a string");
    const char* modpath = luaL_gsub(L, name, ".", "/");  // 5
    luaL_Buffer tried;
    luaL_buffinit(L, &tried);
    bool found = false;
    for (const char* t = templates; *t && !found;) {
      const char* end = std::strchr(t, ';');
      std::size_t len = end ? static_cast<std::size_t>(end - t) : std::strlen(t);
      lua_pushlstring(L, t, len);
      const char* candidate = luaL_gsub(L, lua_tostring(L, -1), "?", modpath);
      lua_remove(L, -2);
      // As CC: a relative template is taken from the program's directory,
      // and named as fs.combine names it (no leading slash).
      Process& self = current_process(L);
      const char* vpath = push_normalized_path(L, candidate, self.module_dir());
      if (*candidate != '/') {
        lua_pushstring(L, vpath + 1);
        lua_replace(L, -3);
      }
      const char* shown = lua_tostring(L, -2);  // shown, vpath
      if (current_computer(L).vfs().is_file(vpath)) {
        if (load_file(L, vpath, 0, "/") != 1) return luaL_error(L, "error loading module '%s' from '%s':\n\t%s",
                                                      name, shown, lua_tostring(L, -1));
        lua_remove(L, -2);  // vpath
        lua_pushstring(L, name);
        lua_pushvalue(L, -3);  // the path as second argument
        lua_call(L, 2, 1);
        lua_remove(L, -2);
        found = true;
        break;
      }
      lua_pop(L, 1);
      lua_pushfstring(L, "\n  no file '%s'", shown);
      lua_remove(L, -2);
      luaL_addvalue(&tried);
      t = end ? end + 1 : t + len;
    }
    if (!found) {
      luaL_pushresult(&tried);
      return luaL_error(L, "module '%s' not found:\n  no field package.preload['%s']%s", name, name,
                        lua_tostring(L, -1));
    }
  }
  if (!lua_isnil(L, -1)) lua_setfield(L, 2, name);
  else lua_pop(L, 1);
  if (lua_getfield(L, 2, name) == LUA_TNIL) {
    lua_pushboolean(L, 1);
    lua_copy(L, -1, -2);
    lua_setfield(L, 2, name);
  }
  return 1;
}

// setmetatable(t, mt) that refuses a metatable with __gc. Lua runs
// finalizers with hooks switched off, so a looping __gc could never be
// preempted or timed out: it would hang the whole computer. CC programs never
// rely on table finalizers (CC's Lua has none).
int base_setmetatable(lua_State* L) {
  // Lua's checks, here: raised by Lua's setmetatable, called from this C
  // function, they would name no function ('?') and show no position.
  luaL_checktype(L, 1, LUA_TTABLE);
  int t = lua_type(L, 2);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) luaL_argerror(L, 2, "__gc metamethods are not allowed");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// getfenv/setfenv as CC keeps them (its 5.2 runtime's rule): they work on a
// Lua function's _ENV upvalue; for anything else getfenv gives the globals
// and setfenv does nothing. Pushes the function that arg 1 names (a
// function, or a stack level counted from the caller; nil is level 1) and
// returns the index of its _ENV upvalue, or 0.
int env_upvalue(lua_State* L) {
  if (lua_isfunction(L, 1)) {
    lua_pushvalue(L, 1);
  } else {
    lua_Integer level = lua_isnoneornil(L, 1) ? 1 : luaL_checkinteger(L, 1);
    if (level < 0) luaL_argerror(L, 1, "level must be non-negative");
    lua_Debug ar;
    if (level == 0 || !lua_getstack(L, static_cast<int>(level), &ar)) {
      if (level != 0) luaL_argerror(L, 1, "invalid level");
      lua_pushnil(L);
      return 0;
    }
    lua_getinfo(L, "f", &ar);
  }
  if (lua_iscfunction(L, -1)) return 0;
  for (int i = 1;; i++) {
    const char* name = lua_getupvalue(L, -1, i);
    if (!name) return 0;
    lua_pop(L, 1);
    if (std::strcmp(name, "_ENV") == 0) return i;
  }
}

int base_getfenv(lua_State* L) {
  int up = env_upvalue(L);
  if (up == 0) {
    lua_pushglobaltable(L);
    return 1;
  }
  lua_getupvalue(L, -1, up);
  return 1;
}

int base_setfenv(lua_State* L) {
  luaL_checktype(L, 2, LUA_TTABLE);
  int up = env_upvalue(L);
  if (up != 0) {
    lua_pushvalue(L, 2);
    lua_setupvalue(L, -2, up);
  }
  return 1;
}

// table.maxn (5.1): the largest positive numeric key.
int table_maxn(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushinteger(L, 0);  // the largest key so far (keeps its subtype)
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TNUMBER && lua_compare(L, 2, -1, LUA_OPLT)) {
      lua_pushvalue(L, -1);
      lua_replace(L, 2);
    }
  }
  lua_settop(L, 2);
  return 1;
}

// table.unpack (and the global unpack), with CC's check of its first
// argument: Lua 5.4's fails later, with "attempt to get length of a nil
// value". A value with an __index metamethod is unpacked, as by 5.4's.
// Upvalue 1 is Lua's own table.unpack.
int table_unpack(lua_State* L) {
  if (lua_type(L, 1) != LUA_TTABLE) {
    if (luaL_getmetafield(L, 1, "__index") == LUA_TNIL) return luaL_typeerror(L, 1, "table");
    lua_pop(L, 1);
  }
  return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

}  // namespace

// The globals CC keeps from Lua 5.1 and 5.0 for old programs: loadstring,
// getfenv and setfenv here; unpack, table.maxn, math.pow, math.log10, ...
// come with the table and math modules (open_table, open_math).
void open_old_globals(lua_State* L) {
  lua_getglobal(L, "load");
  lua_setglobal(L, "loadstring");
  lua_pushcfunction(L, base_getfenv);
  lua_setglobal(L, "getfenv");
  lua_pushcfunction(L, base_setfenv);
  lua_setglobal(L, "setfenv");
}

// table.foreach(t, f) and table.foreachi(t, f), Lua 5.0's, which CC keeps:
// f(key, value) for each pair (each index 1..#t, #t taken first), stopping
// at the first result that is not nil, which is returned. f may yield.
// Stack: 1 t, 2 f, 3 the key (foreach) or #t (foreachi).
int foreach_loop(lua_State* L);
int foreach_k(lua_State* L, int, lua_KContext) {
  if (!lua_isnil(L, -1)) return 1;
  lua_settop(L, 3);
  return foreach_loop(L);
}
int foreach_loop(lua_State* L) {
  while (lua_next(L, 1)) {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    lua_callk(L, 2, 1, 0, foreach_k);
    if (!lua_isnil(L, -1)) return 1;
    lua_settop(L, 3);
  }
  return 0;
}
// foreach's and foreachi's arguments: a table and a function, nothing more.
void check_foreach_args(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
}
int table_foreach(lua_State* L) {
  check_foreach_args(L);
  lua_pushnil(L);
  return foreach_loop(L);
}

int foreachi_loop(lua_State* L, lua_Integer i);
int foreachi_k(lua_State* L, int, lua_KContext i) {
  if (!lua_isnil(L, -1)) return 1;
  lua_settop(L, 3);
  return foreachi_loop(L, static_cast<lua_Integer>(i) + 1);
}
int foreachi_loop(lua_State* L, lua_Integer i) {
  for (lua_Integer n = lua_tointeger(L, 3); i <= n; i++) {
    lua_pushvalue(L, 2);
    lua_pushinteger(L, i);
    lua_geti(L, 1, i);
    lua_callk(L, 2, 1, static_cast<lua_KContext>(i), foreachi_k);
    if (!lua_isnil(L, -1)) return 1;
    lua_settop(L, 3);
  }
  return 0;
}
int table_foreachi(lua_State* L) {
  check_foreach_args(L);
  lua_pushinteger(L, luaL_len(L, 1));
  return foreachi_loop(L, 1);
}

int open_table(lua_State* L) {
  luaopen_table(L);
  lua_pushcfunction(L, table_foreach);
  lua_setfield(L, -2, "foreach");
  lua_pushcfunction(L, table_foreachi);
  lua_setfield(L, -2, "foreachi");
  lua_pushcfunction(L, table_maxn);
  lua_setfield(L, -2, "maxn");
  lua_getfield(L, -1, "unpack");
  lua_pushcclosure(L, table_unpack, 1);
  lua_setfield(L, -2, "unpack");
  make_sort_yieldable(L, lua_gettop(L));
  return 1;
}

int open_math(lua_State* L) {
  static const luaL_Reg math_compat[] = {
      {"pow", [](lua_State* L1) { lua_pushnumber(L1, std::pow(luaL_checknumber(L1, 1), luaL_checknumber(L1, 2))); return 1; }},
      {"log10", [](lua_State* L1) { lua_pushnumber(L1, std::log10(luaL_checknumber(L1, 1))); return 1; }},
      {"ldexp", [](lua_State* L1) {
         lua_pushnumber(L1, std::ldexp(luaL_checknumber(L1, 1), static_cast<int>(luaL_checkinteger(L1, 2))));
         return 1;
       }},
      {"frexp", [](lua_State* L1) {
         int e = 0;
         lua_pushnumber(L1, std::frexp(luaL_checknumber(L1, 1), &e));
         lua_pushinteger(L1, e);
         return 2;
       }},
      {"cosh", [](lua_State* L1) { lua_pushnumber(L1, std::cosh(luaL_checknumber(L1, 1))); return 1; }},
      {"sinh", [](lua_State* L1) { lua_pushnumber(L1, std::sinh(luaL_checknumber(L1, 1))); return 1; }},
      {"tanh", [](lua_State* L1) { lua_pushnumber(L1, std::tanh(luaL_checknumber(L1, 1))); return 1; }},
      {"atan2", [](lua_State* L1) { lua_pushnumber(L1, std::atan2(luaL_checknumber(L1, 1), luaL_checknumber(L1, 2))); return 1; }},
      {"mod", [](lua_State* L1) { lua_pushnumber(L1, std::fmod(luaL_checknumber(L1, 1), luaL_checknumber(L1, 2))); return 1; }},
      {nullptr, nullptr},
  };
  luaopen_math(L);
  luaL_setfuncs(L, math_compat, 0);
  return 1;
}

void open_base(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  static const luaL_Reg replaced[] = {
      // They use the kernel (the terminal, the file system): under its lock.
      {"print", locked<base_print>},       {"write", locked<base_write>},
      {"printError", locked<base_printError>}, {"loadfile", locked<base_loadfile>},
      {"dofile", locked<base_dofile>},     {"require", locked<base_require>},
      {nullptr, nullptr},
  };
  luaL_setfuncs(L, replaced, 0);
  lua_getfield(L, -1, "load");
  lua_pushcclosure(L, base_load, 1);
  lua_setfield(L, -2, "load");
  lua_getfield(L, -1, "setmetatable");
  lua_pushcclosure(L, base_setmetatable, 1);
  lua_setfield(L, -2, "setmetatable");
  lua_pop(L, 1);
}

}  // namespace moonbox
