// The sandboxed global environment of a process state.
#pragma once

struct lua_State;

namespace moonbox {

// Opens the libraries the design allows (base, string, table, math, utf8,
// coroutine), replaces what must not reach the host, and installs the
// moonbox and CC APIs. Runs inside a protected call; may raise.
void open_sandbox(lua_State* L);

// The individual parts, one file each under vm/lib.
void open_base(lua_State* L);       // print, load, require, dofile, ...
void open_coroutine(lua_State* L);  // pushes coroutine, with preemption-aware resume and wrap
void open_os(lua_State* L);         // pushes the CC os subset
void open_sleep(lua_State* L);      // the global sleep
// True for the libraries a process builds on first use (os, coroutine,
// package, debug, utf8, fs); require() of one builds it.
bool is_lazy_library(const char* name);
void open_term(lua_State* L);       // pushes term (native)
void open_fs(lua_State* L);         // pushes fs
void open_string_matching(lua_State* L);  // find/match/gmatch/gsub with a budget
int open_ipc(lua_State* L);         // require("system.ipc")
int open_process(lua_State* L);     // require("system.process")

}  // namespace moonbox
