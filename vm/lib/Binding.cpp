#include "vm/lib/Binding.h"

#include <new>

namespace moonbox {

Process& current_process(lua_State* L) {
  Process& p = Process::from(L);
  if (p.closing) luaL_error(L, "process is exiting");
  return p;
}

std::string_view encode_values(lua_State* L, int first, int count, int arg, const char* root) {
  Kernel& k = Process::from(L).kernel;
  Encoder& enc = k.encoder();
  EncodeStatus status;
  try {
    status = enc.encode(L, first, count, k.scratch());
  } catch (const std::bad_alloc&) {
    status = EncodeStatus::TooLarge;
  }
  switch (status) {
    case EncodeStatus::Ok:
      return k.scratch();
    case EncodeStatus::BadType:
      enc.push_error_path(L, root);
      return luaL_argerror(L, arg + enc.failed_value(),
                           lua_pushfstring(L, "cannot send a %s (at %s)", enc.bad_type(), lua_tostring(L, -1))),
             std::string_view{};
    case EncodeStatus::TooLarge:
      enc.finish(L);
      return luaL_argerror(L, arg + enc.failed_value(),
                           lua_pushfstring(L, "message too large (limit %d bytes)", static_cast<int>(enc.limit()))),
             std::string_view{};
    case EncodeStatus::TooDeep:
      enc.finish(L);
      return luaL_argerror(L, arg + enc.failed_value(), "table too deeply nested"), std::string_view{};
  }
  return {};
}

namespace {
bool reserve_frames(std::vector<int>& frames, std::size_t depth) {
  try {
    frames.reserve(depth);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}
}  // namespace

int push_message(lua_State* L, std::string_view payload) {
  Kernel& k = Process::from(L).kernel;
  if (!reserve_frames(k.decode_frames(), message_info(payload).max_depth))
    return luaL_error(L, "not enough memory");
  return decode(L, payload, k.decode_frames());
}

int yield_to_kernel(lua_State* L, lua_KFunction cont, lua_KContext ctx) {
  Process& p = Process::from(L);
  if (!lua_isyieldable(L)) {
    // Inside a metamethod, a sort comparator or a finalizer: nothing can
    // wait here. Forget the wait so the kernel does not think we block.
    if (!p.frames.empty()) p.top().wait = Wait{};
    return luaL_error(L, "attempt to yield across a C-call boundary");
  }
  p.kernel_yield = true;
  return lua_yieldk(L, 0, ctx, cont);
}

int check_signal(lua_State* L, int arg) {
  lua_Integer sig = luaL_checkinteger(L, arg);
  if (sig <= 0 || sig >= 32 || !find_signal(static_cast<int>(sig))) luaL_argerror(L, arg, "invalid signal");
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

}  // namespace moonbox
