// Helpers shared by the Lua bindings in vm/lua.
//
// Two rules for every binding:
// - Lua errors are longjmps, so no C++ object with a destructor may be alive
//   in a binding's frame when it calls a Lua function that can raise. C++
//   work happens in helpers that return plain values.
// - Re-entry: converting an argument can run Lua (luaL_tolstring runs
//   __tostring, luaL_len __len, lua_getfield __index), and that Lua may
//   close, remove or replace the object the binding acts on. So a binding
//   converts and checks every argument first, then looks its kernel, world,
//   device or handle object up, and never holds a raw pointer or reference
//   to one across anything that can run Lua. Where Lua must run mid-way, it
//   holds a strong reference and checks again after (peripheral.call).
#pragma once

#include <new>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <lua.hpp>

#include "vm/kernel/Kernel.h"

namespace moonbox {
class Computer;
}

namespace moonbox {

// The process that is calling; raises while the process is being closed
// (a finalizer cannot use the kernel).
Process& current_process(lua_State* L);
// The computer the calling process runs on (its kernel's host).
Computer& current_computer(lua_State* L);

// Encodes `count` values from stack index `first` with the kernel's encoder,
// raising "bad argument #arg to 'fn' (cannot send a function (at root.x))"
// and the like on failure. Returns the encoded message, valid until the next
// encode.
std::string_view encode_values(lua_State* L, int first, int count, int arg, const char* root,
                               std::string_view prefix = {});

// Calls f, a binding that uses the kernel, holding the kernel lock (see
// vm/KernelLock.h: an error or a yield inside f leaves it held until the
// slice ends). locked<f> and locked_k<k> are the same as a lua_CFunction
// and a continuation; new_module and new_cc_module lock every function.
inline int call_locked(lua_State* L, lua_CFunction f) {
  KernelLock& lock = Process::from(L).kernel().lock();
  lock.enter();
  int n = f(L);
  lock.leave();
  return n;
}
template <lua_CFunction F>
int locked(lua_State* L) {
  return call_locked(L, F);
}
template <lua_KFunction K>
int locked_k(lua_State* L, int status, lua_KContext ctx) {
  KernelLock& lock = Process::from(L).kernel().lock();
  lock.enter();
  int n = K(L, status, ctx);
  lock.leave();
  return n;
}

// A continuation (lua_KFunction) that returns every value above stack
// index `base` (the context): what a callk'd function returned.
inline int return_results(lua_State* L, int, lua_KContext base) { return lua_gettop(L) - static_cast<int>(base); }

// Yields the calling thread to the kernel; K runs when it is resumed (for
// a blocked frame: once its blocker is satisfied or timed out), holding
// the kernel lock. Without K, the call returns nothing.
int yield_to_kernel(lua_State* L, lua_KFunction cont, lua_KContext ctx);
template <lua_KFunction K = nullptr>
int yield_to_kernel(lua_State* L, lua_KContext ctx = 0) {
  if constexpr (K == nullptr) return yield_to_kernel(L, nullptr, ctx);
  else return yield_to_kernel(L, locked_k<K>, ctx);
}

// Before a process writes to the terminal: with `stty tostop`, one in the
// background gets SIGTTOU. Returns true when the caller must yield (with a
// continuation that writes again) instead of writing now.
bool stop_for_output(lua_State* L);

// Checks that argument arg is a pid: an integer (a float with an integral
// value is one), any value. Whether it names a process is the kernel's
// answer (Kernel::find), never narrowed on the way.
std::int64_t check_pid(lua_State* L, int arg);

// Why a program's string cannot be a path (it holds a NUL byte, which
// would cut it short on the host, or is over kPathMax bytes), or null.
const char* bad_path_reason(std::string_view path);

// Pushes path normalised against cwd (an absolute virtual path) and returns
// it. No C++ object outlives the push, which may raise.
const char* push_normalized_path(lua_State* L, std::string_view path, std::string_view cwd);

// Runs fn(L) -> nresults in a protected call and returns its status, with
// its results or its error on the stack. A binding that holds C++ objects
// (a vector of names) pushes through this, lets them go, and then raises
// the error if there was one, so that a Lua error never skips a destructor.
template <class F>
int protected_call(lua_State* L, F& fn, int nresults) {
  lua_pushcfunction(L, [](lua_State* L1) -> int {
    F* f = static_cast<F*>(lua_touserdata(L1, 1));
    lua_remove(L1, 1);
    return (*f)(L1);
  });
  lua_pushlightuserdata(L, &fn);
  return lua_pcall(L, 1, nresults, 0);
}

// A C++ object kept in a userdata on the stack: a Lua error that unwinds
// past the binding leaves it to the garbage collector, whose __gc runs its
// destructor, so that strings and vectors a binding is filling are never
// leaked by a raise. Returns the object, default-constructed.
void push_box_metatable(lua_State* L);
template <class T>
T& new_boxed(lua_State* L) {
  struct Box {
    void (*destroy)(void*);
    T value;
  };
  void* mem = lua_newuserdatauv(L, sizeof(Box), 0);
  Box* box = new (mem) Box{[](void* b) { static_cast<Box*>(b)->~Box(); }, T{}};
  push_box_metatable(L);
  lua_setmetatable(L, -2);
  return box->value;
}

// cc.expect's check for a C function of CC's base library (load, loadfile,
// write...): raises "bad argument #2 (string expected, got boolean)",
// naming the function only when its call site does (never, with `named`
// false: for what CC reaches by a tail call, such as io.write's file:write).
// The message gives the argument as `shown` when that is not 0 (a method's
// values after self).
void cc_expect_arg(lua_State* L, int arg, std::initializer_list<const char*> types, int shown = 0,
                   bool named = true);

// Pushes n as CC's Lua (Lua 5.1/5.2 numbers) writes it: 1 rather than 1.0,
// "%.14g", inf, -inf, nan. For the places CC's own APIs format numbers.
const char* push_cc_number(lua_State* L, lua_Number n);

// Checks that argument arg is a valid signal number and returns it.
int check_signal(lua_State* L, int arg);

// Pushes the string `value` holds and returns 1, or pushes nothing and
// returns 0 when it holds none. The string is freed before any Lua error
// (not enough memory) is raised.
int push_optional_string(lua_State* L, std::optional<std::string> value);

// Sets t[name] = the integer / string / boolean on top of the stack.
void set_field_integer(lua_State* L, const char* name, lua_Integer v);
void set_field_string(lua_State* L, const char* name, std::string_view v);

// For a handle's methods (closures whose upvalue 2 is the handle's table):
// drops a leading self argument, so that both h.read() and h:read() work.
void drop_handle_self(lua_State* L);

}  // namespace moonbox

namespace moonbox {

// Argument checks for the system.* modules. They raise exactly Lua's
// "bad argument #n to 'name' (...)" but always with the function's short
// name ('sendEvent'), also when it is called without a name at the call
// site, e.g. pcall(ipc.sendEvent, ...), where luaL_argerror would find
// 'system.ipc.sendEvent' through package.loaded. The short name is upvalue 1
// of every function registered with new_module.
[[noreturn]] void arg_error(lua_State* L, int arg, const char* msg);
// luaL_error for CC's APIs (fs, term, os): the words are CC's.
[[noreturn]] void cc_error(lua_State* L, const char* fmt, ...);
[[noreturn]] void type_error(lua_State* L, int arg, const char* expected);
lua_Integer check_integer(lua_State* L, int arg);
lua_Integer opt_integer(lua_State* L, int arg, lua_Integer def);
lua_Number check_number(lua_State* L, int arg);
lua_Number opt_number(lua_State* L, int arg, lua_Number def);
const char* check_string(lua_State* L, int arg, std::size_t* len = nullptr);
const char* opt_string(lua_State* L, int arg, const char* def);
void check_table(lua_State* L, int arg);
// luaL_checkoption with the short name in its error.
int check_option(lua_State* L, int arg, const char* def, const char* const names[]);

// Creates a module table whose functions carry their short names.
void new_module(lua_State* L, const luaL_Reg* functions);
// Creates a module of CC's API (term, fs, os): its argument errors are CC's
// "bad argument #1 (number expected, got nil)", without a function name,
// because programs and tests match on CC's words.
void new_cc_module(lua_State* L, const luaL_Reg* functions);

}  // namespace moonbox
