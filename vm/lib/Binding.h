// Helpers shared by the Lua bindings in vm/lib.
//
// A rule for every binding: Lua errors are longjmps, so no C++ object with a
// destructor may be alive in a binding's frame when it calls a Lua function
// that can raise. C++ work happens in helpers that return plain values.
#pragma once

#include <string_view>

#include <lua.hpp>

#include "vm/Kernel.h"

namespace moonbox {

// The process that is calling; raises while the process is being closed
// (a finalizer cannot use the kernel).
Process& current_process(lua_State* L);

// Encodes `count` values from stack index `first` into the kernel's scratch
// buffer, raising "bad argument #arg to 'fn' (cannot send a function (at
// root.x))" and the like on failure. Returns the encoded message.
std::string_view encode_values(lua_State* L, int first, int count, int arg, const char* root);

// Pushes the values of an encoded message; returns how many.
int push_message(lua_State* L, std::string_view payload);

// Yields the calling thread to the kernel; cont runs when it is resumed.
int yield_to_kernel(lua_State* L, lua_KFunction cont, lua_KContext ctx = 0);

// Before a process writes to the terminal: with `stty tostop`, one in the
// background gets SIGTTOU. Returns true when the caller must yield (with a
// continuation that writes again) instead of writing now.
bool stop_for_output(lua_State* L);

// Checks that argument arg is a valid signal number and returns it.
int check_signal(lua_State* L, int arg);

// Sets t[name] = the integer / string / boolean on top of the stack.
void set_field_integer(lua_State* L, const char* name, lua_Integer v);
void set_field_string(lua_State* L, const char* name, std::string_view v);

}  // namespace moonbox

namespace moonbox {

// Argument checks for the system.* modules. They raise exactly Lua's
// "bad argument #n to 'name' (...)" but always with the function's short
// name ('sendEvent'), also when it is called without a name at the call
// site, e.g. pcall(ipc.sendEvent, ...), where luaL_argerror would find
// 'system.ipc.sendEvent' through package.loaded. The short name is upvalue 1
// of every function registered with new_module.
[[noreturn]] void arg_error(lua_State* L, int arg, const char* msg);
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

}  // namespace moonbox
