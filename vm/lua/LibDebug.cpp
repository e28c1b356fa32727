// debug: the debug library within the process, as far as it cannot reach
// past the process's own Lua code (ARCHITECTURE.md's sandbox, as README's
// Isolation section refines it):
// - traceback, getinfo, getlocal/setlocal, getupvalue/setupvalue,
//   upvalueid/upvaluejoin, getmetatable/setmetatable;
// - locals only of Lua frames, upvalues only of Lua closures, and getinfo
//   never hands out a C function: C frames and C closures hold moonbox's
//   internals (the originals its wrappers call);
// - setmetatable refuses userdata (the kernel's handles rely on theirs);
// - sethook/gethook: the program's hook shares Lua's one hook per coroutine
//   with the kernel's preemption (vm/kernel/Hooks.cpp), and runs in a coroutine of
//   its own with a guard hook: Lua runs a hook with hooks off, so a loop in
//   it would otherwise never end. getinfo, getlocal and
//   setlocal count levels past that coroutine on into the hooked one, so
//   level 2 in a hook is the hooked function, as in Lua;
// - no getregistry (the kernel's references).
#include <cstring>

#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

char hooks_key;   // registry: thread -> {hook, mask, count}, weak keys
char hooked_key;  // registry: a hook's coroutine -> the thread it runs for, weak keys
char spare_key;   // registry: a finished hook coroutine, to run the next hook in

// Pushes the weak-keyed table at registry[key], made on first use.
void push_weak_table(lua_State* L, const void* key) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, key);
}

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

// The thread a program hook runs for, when L is that hook's coroutine; else
// null.
lua_State* hooked_thread(lua_State* L) {
  push_weak_table(L, &hooked_key);
  lua_pushthread(L);
  lua_rawget(L, -2);
  lua_State* hooked = lua_tothread(L, -1);
  lua_pop(L, 2);
  return hooked;
}

// sethook and gethook's [thread,]: inside a hook, the default is the hooked
// thread, as in Lua, where the hook runs on it. Pushes the thread.
lua_State* hook_thread_arg(lua_State* L, int* arg) {
  lua_State* L1 = thread_arg(L, arg);
  if (*arg) {
    lua_pushvalue(L, 1);
    return L1;
  }
  if (lua_State* hooked = hooked_thread(L)) L1 = hooked;
  lua_pushthread(L1);
  if (L1 != L) lua_xmove(L1, L, 1);
  return L1;
}

// Finds the frame at `level` of *L1. From inside a program hook (L1 is the
// hook's own coroutine, L), levels past the hook's coroutine go on into the
// thread it runs for, at the function the hook interrupted.
bool frame_at(lua_State* L, lua_State** L1, lua_Integer level, lua_Debug* ar) {
  if (level < 0 || level > 1000000) return false;
  if (lua_getstack(*L1, static_cast<int>(level), ar)) return true;
  if (*L1 != L) return false;
  lua_State* hooked = hooked_thread(L);
  if (!hooked) return false;
  int depth = 0;
  while (lua_getstack(L, depth, ar)) depth++;
  *L1 = hooked;
  return lua_getstack(hooked, static_cast<int>(level) - depth, ar) != 0;
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
    if (!frame_at(L, &L1, luaL_checkinteger(L, arg + 1), &ar)) {
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
bool lua_frame(lua_State* L, lua_State** L1, int arg, lua_Debug* ar) {
  if (!frame_at(L, L1, luaL_checkinteger(L, arg), ar)) luaL_argerror(L, arg, "level out of range");
  lua_getinfo(*L1, "S", ar);
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
  if (!lua_frame(L, &L1, arg + 1, &ar)) return 0;
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
  if (!lua_frame(L, &L1, arg + 1, &ar)) return 0;
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

// The events of a mask string and count, as Lua's makemask.
int make_mask(const char* smask, int count) {
  int mask = 0;
  if (std::strchr(smask, 'c')) mask |= LUA_MASKCALL;
  if (std::strchr(smask, 'r')) mask |= LUA_MASKRET;
  if (std::strchr(smask, 'l')) mask |= LUA_MASKLINE;
  if (count > 0) mask |= LUA_MASKCOUNT;
  return mask;
}

// sethook([thread,] hook, mask [, count]); sethook([thread]) turns it off.
int debug_sethook(lua_State* L) {
  int arg;
  lua_State* L1 = thread_arg(L, &arg);
  int mask = 0, count = 0;
  if (!lua_isnoneornil(L, arg + 1)) {
    const char* smask = luaL_checkstring(L, arg + 2);
    luaL_checktype(L, arg + 1, LUA_TFUNCTION);
    lua_Integer n = luaL_optinteger(L, arg + 3, 0);
    count = static_cast<int>(n < 0 ? 0 : n > INT32_MAX ? INT32_MAX : n);
    mask = make_mask(smask, count);
  }
  Process& p = Process::from(L);
  push_weak_table(L, &hooks_key);
  L1 = hook_thread_arg(L, &arg);
  if (mask) {
    lua_createtable(L, 3, 0);
    lua_pushvalue(L, arg + 1);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, mask);
    lua_rawseti(L, -2, 2);
    lua_pushinteger(L, count);
    lua_rawseti(L, -2, 3);
    p.mark_program_hooks();
  } else {
    lua_pushnil(L);
  }
  lua_rawset(L, -3);
  if (p.program_hooks()) Scheduler::set_program_hook(p, L1, mask, count);
  return 0;
}

// gethook([thread]) -> hook, mask, count; nil when it has none.
int debug_gethook(lua_State* L) {
  int arg;
  push_weak_table(L, &hooks_key);
  hook_thread_arg(L, &arg);
  if (lua_rawget(L, -2) != LUA_TTABLE) {
    lua_pushnil(L);
    return 1;
  }
  int entry = lua_gettop(L);
  lua_rawgeti(L, entry, 1);
  lua_rawgeti(L, entry, 2);
  auto mask = static_cast<int>(lua_tointeger(L, -1));
  lua_pop(L, 1);
  char smask[4], *c = smask;
  if (mask & LUA_MASKCALL) *c++ = 'c';
  if (mask & LUA_MASKRET) *c++ = 'r';
  if (mask & LUA_MASKLINE) *c++ = 'l';
  *c = '\0';
  lua_pushstring(L, smask);
  lua_rawgeti(L, entry, 3);
  return 3;
}

// Lua runs a hook with hooks off, and the preemption watchdog watches the
// coroutine the hook interrupted, not the one the hook runs in; so the
// hook's own coroutine checks every kGuardCount instructions that the hook
// has not run for longer than the kernel allows without yielding (a hook
// cannot yield), and that the process is not ending.
constexpr int kGuardCount = 1000;

void guard_hook(lua_State* co, lua_Debug*) {
  Process& p = Process::from(co);
  if (p.closing()) luaL_error(co, "process is exiting");
  if (p.too_long_without_yielding()) luaL_error(co, "too long without yielding");
}

// A coroutine to run a hook in: the spare one when it is free (the last
// hook returned), else a new one. Pushed on L.
lua_State* hook_coroutine(lua_State* L) {
  lua_State* co = nullptr;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &spare_key) == LUA_TTHREAD) {
    co = lua_tothread(L, -1);
    lua_Debug ar;
    if (lua_status(co) == LUA_OK && lua_gettop(co) == 0 && !lua_getstack(co, 0, &ar)) {
      lua_pushnil(L);
      lua_rawsetp(L, LUA_REGISTRYINDEX, &spare_key);  // in use: a nested hook makes its own
      return co;
    }
  }
  lua_pop(L, 1);
  co = lua_newthread(L);
  lua_sethook(co, guard_hook, LUA_MASKCOUNT, kGuardCount);  // not the creator's hook
  push_weak_table(L, &hooked_key);
  lua_pushvalue(L, -2);
  lua_pushthread(L);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  return co;
}

// debug.setbreakpoint(file, line [, condition]) -> id: CraftOS-PC's. A
// process of this user that reaches that line of a chunk loaded from that
// file (or named so) stops there, traced (process.getpinfo(pid).breakpoint),
// until a debugger or SIGCONT continues it.
int debug_setbreakpoint(lua_State* L) {
  std::size_t len;
  const char* file = luaL_checklstring(L, 1, &len);
  lua_Integer line = luaL_checkinteger(L, 2);
  if (line < 1 || line > INT32_MAX) luaL_argerror(L, 2, "line out of range");
  const char* condition = luaL_optstring(L, 3, "");
  Process& self = current_process(L);
  Breakpoint b;
  b.source.assign(file, len);
  b.line = static_cast<int>(line);
  b.condition = condition;
  b.user = self.user();  // never another user's processes
  lua_pushinteger(L, self.kernel().debugger().add_breakpoint(std::move(b)));
  return 1;
}

// debug.unsetbreakpoint(id) -> whether there was one.
int debug_unsetbreakpoint(lua_State* L) {
  lua_Integer id = luaL_checkinteger(L, 1);
  Process& self = current_process(L);
  Debugger& d = self.kernel().debugger();
  bool own = false;
  for (const Breakpoint& b : d.breakpoints())
    if (b.id == id && (b.user.empty() || b.user == self.user() || self.is_root())) own = true;
  lua_pushboolean(L, own && d.remove_breakpoint(static_cast<int>(id)));
  return 1;
}

// debug.debug(): the calling process stops here, traced, for a debugger.
int debug_debug(lua_State* L) {
  Process& self = current_process(L);
  self.kernel().debugger().pause(self);
  if (self.needs_attention() && lua_isyieldable(L)) return yield_to_kernel(L);
  return 0;
}

const luaL_Reg debug_functions[] = {
    {"setbreakpoint", locked<debug_setbreakpoint>}, {"unsetbreakpoint", locked<debug_unsetbreakpoint>},
    {"debug", locked<debug_debug>},
    {"traceback", debug_traceback},     {"getinfo", debug_getinfo},
    {"getlocal", debug_getlocal},       {"setlocal", debug_setlocal},
    {"getupvalue", debug_getupvalue},   {"setupvalue", debug_setupvalue},
    {"upvalueid", debug_upvalueid},     {"upvaluejoin", debug_upvaluejoin},
    {"getmetatable", debug_getmetatable}, {"setmetatable", debug_setmetatable},
    {"sethook", debug_sethook},         {"gethook", debug_gethook},
    {nullptr, nullptr},
};

}  // namespace

int program_hook_mask(lua_State* L, int* count) {
  *count = 0;
  if (!lua_checkstack(L, 4)) return 0;
  push_weak_table(L, &hooks_key);
  lua_pushthread(L);
  int mask = 0;
  if (lua_rawget(L, -2) == LUA_TTABLE) {
    lua_rawgeti(L, -1, 2);
    lua_rawgeti(L, -2, 3);
    mask = static_cast<int>(lua_tointeger(L, -2));
    *count = static_cast<int>(lua_tointeger(L, -1));
    lua_pop(L, 2);
  }
  lua_pop(L, 2);
  return mask;
}

void run_program_hook(lua_State* L, lua_Debug* ar) {
  static const char* const event_names[] = {"call", "return", "line", "count", "tail call"};
  Process& p = Process::from(L);
  if (p.closing() || !lua_checkstack(L, 8)) return;
  int top = lua_gettop(L);
  push_weak_table(L, &hooks_key);
  lua_pushthread(L);
  if (lua_rawget(L, -2) != LUA_TTABLE) {  // a hook inherited from the coroutine's creator
    lua_settop(L, top);
    Scheduler::set_program_hook(p, L, 0, 0);
    return;
  }
  int entry = lua_gettop(L);
  lua_rawgeti(L, entry, 2);
  auto mask = static_cast<int>(lua_tointeger(L, -1));
  int wanted = ar->event == LUA_HOOKTAILCALL ? LUA_MASKCALL : 1 << ar->event;
  if (!(mask & wanted)) {
    lua_settop(L, top);
    return;
  }
  lua_getinfo(L, "lS", ar);
  lua_State* co = hook_coroutine(L);
  int co_at = lua_gettop(L);
  lua_rawgeti(L, entry, 1);
  lua_pushstring(L, event_names[ar->event]);
  if (ar->currentline >= 0) lua_pushinteger(L, ar->currentline);
  else lua_pushnil(L);
  lua_xmove(L, co, 3);
  int nres = 0;
  int status = lua_resume(co, L, 2, &nres);
  if (status == LUA_YIELD) {
    // A hook cannot yield: neither to the program nor to the kernel (a
    // blocking call, whose wait is called off).
    lua_pop(co, nres);
    if (p.kernel_yield()) {
      p.clear_kernel_yield();
      KernelLock& lock = p.kernel().lock();
      lock.enter();
      if (p.blocker().active()) p.kernel().unblock(p);
      lock.leave();
    }
    luaL_error(L, "attempt to yield across a C-call boundary");
  }
  if (status != LUA_OK) {
    lua_xmove(co, L, 1);
    lua_error(L);  // the hook's error, raised where it ran
  }
  lua_pop(co, nres);
  lua_settop(L, co_at);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &spare_key);  // co, free again
  lua_settop(L, top);
}

int open_debug(lua_State* L) {
  luaL_newlib(L, debug_functions);
  return 1;
}

}  // namespace moonbox
