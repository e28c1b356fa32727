#include "vm/lua/Binding.h"

#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <new>

#include "vm/machine/Computer.h"

namespace moonbox {

Process& current_process(lua_State* L) {
  Process& p = Process::from(L);
  if (p.closing()) luaL_error(L, "process is exiting");
  return p;
}

// Every kernel that runs Lua programs is a computer's: the Computer makes it
// with itself as the host.
Computer& current_computer(lua_State* L) { return static_cast<Computer&>(current_process(L).kernel().host()); }

std::string_view encode_values(lua_State* L, int first, int count, int arg, const char* root,
                               std::string_view prefix) {
  Encoder& enc = Process::from(L).kernel().encoder();
  EncodeStatus status;
  try {
    status = enc.encode(L, first, count, prefix);
  } catch (const std::bad_alloc&) {
    status = EncodeStatus::TooLarge;
  }
  switch (status) {
    case EncodeStatus::Ok:
      return enc.output();
    case EncodeStatus::BadType:
      enc.push_error_path(L, root);
      arg_error(L, arg + enc.failed_value(),
                lua_pushfstring(L, "cannot send a %s (at %s)", enc.bad_type(), lua_tostring(L, -1)));
    case EncodeStatus::TooLarge:
      enc.finish(L);
      arg_error(L, arg + enc.failed_value(),
                lua_pushfstring(L, "message too large (limit %d bytes)", static_cast<int>(enc.limit())));
    case EncodeStatus::TooDeep:
      enc.finish(L);
      arg_error(L, arg + enc.failed_value(), "table too deeply nested");
  }
  return {};
}

int yield_to_kernel(lua_State* L, lua_KFunction cont, lua_KContext ctx) {
  Process& p = Process::from(L);
  if (!lua_isyieldable(L)) {
    // Inside a metamethod, a sort comparator or a finalizer: nothing can
    // wait here. Forget the wait so the kernel does not think we block.
    p.kernel().unblock(p);
    return luaL_error(L, "attempt to yield across a C-call boundary");
  }
  p.mark_kernel_yield();
  return lua_yieldk(L, 0, ctx, cont);
}

bool stop_for_output(lua_State* L) {
  Process& self = Process::from(L);
  return self.kernel().stop_for_output(self) && lua_isyieldable(L);
}

std::int64_t check_pid(lua_State* L, int arg) { return check_integer(L, arg); }

const char* bad_path_reason(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return "path contains a NUL byte";
  if (path.size() > defaults::kPathMax) return "path too long";
  return nullptr;
}

const char* push_normalized_path(lua_State* L, std::string_view path, std::string_view cwd) {
  char buf[2 * defaults::kPathMax + 2];  // a cwd and a path, each at most kPathMax
  std::size_t n;
  {
    std::string norm = Vfs::normalize(path, cwd);
    n = norm.size();
    if (n < sizeof buf) std::memcpy(buf, norm.data(), n);
  }
  if (n >= sizeof buf) luaL_error(L, "path too long");
  lua_pushlstring(L, buf, n);
  return lua_tostring(L, -1);
}

int check_signal(lua_State* L, int arg) {
  lua_Integer sig = check_integer(L, arg);
  if (sig <= 0 || sig >= 32 || !find_signal(static_cast<int>(sig))) arg_error(L, arg, "invalid signal");
  return static_cast<int>(sig);
}

void set_field_integer(lua_State* L, const char* name, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, name);
}

void set_field_string(lua_State* L, const char* name, std::string_view v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, -2, name);
}

void drop_handle_self(lua_State* L) {
  if (lua_istable(L, 1) && lua_rawequal(L, 1, lua_upvalueindex(2))) lua_remove(L, 1);
}

}  // namespace moonbox

namespace moonbox {

namespace {
// The name Lua would show: the call site's name when there is one,
// otherwise the registered short name.
const char* function_name(lua_State* L, int* arg) {
  lua_Debug ar;
  if (!lua_getstack(L, 0, &ar)) return "?";
  lua_getinfo(L, "n", &ar);
  if (ar.namewhat && std::strcmp(ar.namewhat, "method") == 0) {
    (*arg)--;  // do not count 'self'
    if (*arg == 0) return ar.name;
  }
  if (ar.name && std::strcmp(ar.name, "?") != 0) return ar.name;
  const char* own = lua_tostring(L, lua_upvalueindex(1));
  return own ? own : "?";
}
}  // namespace

void cc_error(lua_State* L, const char* fmt, ...) {
  // The position is the caller's, as for any C function (term's forwarding
  // functions run the native one in their own frame, so that is where the
  // program called term.*, as in CC).
  luaL_where(L, 1);
  va_list args;
  va_start(args, fmt);
  lua_pushvfstring(L, fmt, args);
  va_end(args);
  lua_concat(L, 2);
  lua_error(L);
  std::abort();
}

int push_optional_string(lua_State* L, std::optional<std::string> value) {
  if (!value) return 0;
  int status;
  {
    std::string text = std::move(*value);  // what is left in `value` holds no memory
    auto push = [&text](lua_State* L1) {
      lua_pushlstring(L1, text.data(), text.size());
      return 1;
    };
    status = protected_call(L, push, 1);
  }
  if (status != LUA_OK) lua_error(L);
  return 1;
}

void arg_error(lua_State* L, int arg, const char* msg) {
  // CC's form, with no function name, for a CC module's functions (upvalue 1
  // is false) and a file handle's methods (upvalue 1 is the handle).
  int own = lua_type(L, lua_upvalueindex(1));
  if (own == LUA_TBOOLEAN || own == LUA_TUSERDATA) cc_error(L, "bad argument #%d (%s)", arg, msg);
  const char* name = function_name(L, &arg);
  if (arg == 0) luaL_error(L, "calling '%s' on bad self (%s)", name, msg);
  luaL_error(L, "bad argument #%d to '%s' (%s)", arg, name, msg);
  std::abort();  // not reached: luaL_error does not return
}

void type_error(lua_State* L, int arg, const char* expected) {
  const char* got;
  if (luaL_getmetafield(L, arg, "__name") == LUA_TSTRING) got = lua_tostring(L, -1);
  else if (lua_type(L, arg) == LUA_TLIGHTUSERDATA) got = "light userdata";
  else if (lua_isnone(L, arg)) got = "nil";  // a missing argument is nil to a Lua programmer
  else got = luaL_typename(L, arg);
  arg_error(L, arg, lua_pushfstring(L, "%s expected, got %s", expected, got));
}

lua_Integer check_integer(lua_State* L, int arg) {
  int isnum;
  lua_Integer v = lua_tointegerx(L, arg, &isnum);
  if (!isnum) {
    if (lua_isnumber(L, arg)) arg_error(L, arg, "number has no integer representation");
    type_error(L, arg, "number");
  }
  return v;
}

lua_Integer opt_integer(lua_State* L, int arg, lua_Integer def) {
  return lua_isnoneornil(L, arg) ? def : check_integer(L, arg);
}

lua_Number check_number(lua_State* L, int arg) {
  int isnum;
  lua_Number v = lua_tonumberx(L, arg, &isnum);
  if (!isnum) type_error(L, arg, "number");
  return v;
}

lua_Number opt_number(lua_State* L, int arg, lua_Number def) {
  return lua_isnoneornil(L, arg) ? def : check_number(L, arg);
}

const char* check_string(lua_State* L, int arg, std::size_t* len) {
  const char* s = lua_tolstring(L, arg, len);
  if (!s) type_error(L, arg, "string");
  return s;
}

const char* opt_string(lua_State* L, int arg, const char* def) {
  return lua_isnoneornil(L, arg) ? def : check_string(L, arg);
}

void check_table(lua_State* L, int arg) {
  if (lua_type(L, arg) != LUA_TTABLE) type_error(L, arg, "table");
}

int check_option(lua_State* L, int arg, const char* def, const char* const names[]) {
  const char* name = def ? opt_string(L, arg, def) : check_string(L, arg);
  for (int i = 0; names[i]; i++)
    if (std::strcmp(names[i], name) == 0) return i;
  arg_error(L, arg, lua_pushfstring(L, "invalid option '%s'", name));
}

namespace {

// A module function: upvalue 1 is its short name (or false), upvalue 2 its
// luaL_Reg entry (the arrays are static), which runs under the kernel lock.
int call_module_function(lua_State* L) {
  const auto* reg = static_cast<const luaL_Reg*>(lua_touserdata(L, lua_upvalueindex(2)));
  return call_locked(L, reg->func);
}

void add_functions(lua_State* L, const luaL_Reg* functions, bool named) {
  lua_newtable(L);
  for (const luaL_Reg* f = functions; f->name; f++) {
    if (named) lua_pushstring(L, f->name);
    else lua_pushboolean(L, 0);
    lua_pushlightuserdata(L, const_cast<luaL_Reg*>(f));
    lua_pushcclosure(L, call_module_function, 2);
    lua_setfield(L, -2, f->name);
  }
}

}  // namespace

void new_cc_module(lua_State* L, const luaL_Reg* functions) { add_functions(L, functions, false); }

void new_module(lua_State* L, const luaL_Reg* functions) { add_functions(L, functions, true); }

// The boxes' metatable: __gc destroys the object (its destroy function
// is the box's first field), once.
void push_box_metatable(lua_State* L) {
  if (luaL_newmetatable(L, "moonbox.box")) {
    lua_pushcfunction(L, [](lua_State* L1) -> int {
      auto** destroy = static_cast<void (**)(void*)>(lua_touserdata(L1, 1));
      if (destroy && *destroy) {
        void (*fn)(void*) = *destroy;
        *destroy = nullptr;
        fn(destroy);
      }
      return 0;
    });
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
}

}  // namespace moonbox
