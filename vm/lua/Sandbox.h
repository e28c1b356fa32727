// The sandboxed global environment of a process state.
//
// Every module a process can reach is one row of one table (Sandbox.cpp):
// its name, the function that builds it, and when it is built. The kernel
// never includes this file; the Computer hands open_sandbox to the kernel as
// KernelConfig::open_environment.
#pragma once

#include <string>

#include <lua.hpp>

struct lua_State;
struct lua_Debug;

namespace moonbox {

// Opens the libraries the design allows, replaces what must not reach the
// host, and arranges for the rest to be built on first use. Runs inside a
// protected call; may raise.
void open_sandbox(lua_State* L);

// Builds the module `name` as require() asks for it: registers it in
// package.loaded (and as a global, for a global library). Returns false
// (pushing nothing) when no built-in module has that name.
bool require_builtin(lua_State* L, const char* name);

// Pushes the rom's compiled NAME.lua (rom/apis/ or rom/moonbox/bios/) as a function; false (pushing
// nothing) when the rom has no such file. Raises if it does not load.
bool push_bios_chunk(lua_State* L, const char* name);
// The bytecode of bios chunk `name` of the calling process's rom, or null.
const std::string* find_bios_chunk(lua_State* L, const char* name);
// push_bios_chunk for a chunk the caller cannot do without: raises when the
// rom lacks it.
void push_needed_bios_chunk(lua_State* L, const char* name);

// The parts, one file each under vm/lua. Each lua_CFunction pushes its module.
void open_base(lua_State* L);       // print, load, require, dofile, ... into _G
void open_old_globals(lua_State* L);  // loadstring, getfenv, setfenv
void open_yieldable(lua_State* L);  // string.gsub and load whose callbacks may yield
void make_sort_yieldable(lua_State* L, int table);  // table.sort of the table module at that index
int open_table(lua_State* L);       // table, with CC's table.maxn
int open_math(lua_State* L);        // math, with CC's math.pow, log10, ...
void open_string_matching(lua_State* L);  // find/match/gmatch/gsub with a budget
int open_coroutine(lua_State* L);   // with preemption-aware resume and wrap
int open_os(lua_State* L);          // the CC os subset
int open_term(lua_State* L);        // term.native(): the native terminal
int open_term_global(lua_State* L); // term: forwards to the redirect target
int open_fs(lua_State* L);
int open_io(lua_State* L);          // CC's io over fs handles
int open_ipc(lua_State* L);         // require("system.ipc")
int open_process(lua_State* L);     // require("system.process")
int open_expect(lua_State* L);      // require("cc.expect")
int open_terminal(lua_State* L);    // require("system.terminal")
int open_redstone(lua_State* L);    // redstone (and rs)
int open_periphemu(lua_State* L);   // periphemu (CraftOS-PC's)
int open_peripheral(lua_State* L);  // require("system.peripheral"): what rom/apis/peripheral.lua wraps
int open_debug(lua_State* L);       // the debug library within the process (LibDebug.cpp)
// A program's own hook (debug.sethook), for KernelConfig::program_hook and
// program_hook_mask.
void run_program_hook(lua_State* L, lua_Debug* ar);
int program_hook_mask(lua_State* L, int* count);
// term's functions, which are also a monitor's methods.
const luaL_Reg* terminal_methods();

}  // namespace moonbox
