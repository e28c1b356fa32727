// system.ipc: signals, remote events and named services.
// The contract is shared/spec/system.ipc.md; the semantics are ARCHITECTURE.md.
// Every rule is the kernel's; these functions convert arguments and results.
#include <climits>

#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

int ipc_kill(lua_State* L) {
  Process& self = current_process(L);
  std::int64_t pid = check_pid(L, 1);
  int sig = check_signal(L, 2);
  Status r = self.kernel().kill(self.pid(), pid, sig);
  if (r.err == Err::InvalidSignal) arg_error(L, 2, "invalid signal");
  if (!r.ok()) return luaL_error(L, "%s", r.message());
  // A signal to ourselves takes effect before kill returns: go back to the
  // kernel, which runs the handler or the default action first.
  if (self.needs_attention() && lua_isyieldable(L)) return yield_to_kernel(L);
  return 0;
}

int ipc_sigaction(lua_State* L) {
  Process& self = current_process(L);
  int sig = check_signal(L, 1);
  if (!find_signal(sig)->catchable) arg_error(L, 1, "signal cannot be caught");
  int t = lua_type(L, 2);
  if (t != LUA_TNONE && t != LUA_TNIL && t != LUA_TFUNCTION) type_error(L, 2, "function or nil");
  int ref = LUA_NOREF;
  if (t == LUA_TFUNCTION) {
    lua_settop(L, 2);
    ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  luaL_unref(L, LUA_REGISTRYINDEX, self.kernel().set_handler(self, sig, ref));
  return 0;
}

// The optional param table of sendEvent / sendServiceEvent at `arg`,
// encoded after the event's name in the kernel's encoder: the mailbox can
// then keep that buffer as the queued event, with no copy.
std::string_view check_param(lua_State* L, int arg, std::string_view name) {
  if (lua_isnoneornil(L, arg)) {
    lua_settop(L, arg - 1);
    lua_newtable(L);
  } else {
    check_table(L, arg);
  }
  return encode_values(L, arg, 1, arg, "param", name);
}

int ipc_sendEvent(lua_State* L) {
  Process& self = current_process(L);
  std::int64_t pid = check_pid(L, 1);
  std::size_t len;
  const char* name = check_string(L, 2, &len);
  std::string_view payload = check_param(L, 3, {name, len});
  Kernel& k = self.kernel();
  lua_pushboolean(L, k.send_event(self.pid(), pid, {name, len}, payload, &k.encoder().buffer()).ok());
  return 1;
}

int ipc_sendServiceEvent(lua_State* L) {
  Process& self = current_process(L);
  const char* service = check_string(L, 1);
  std::size_t len;
  const char* name = check_string(L, 2, &len);
  std::string_view payload = check_param(L, 3, {name, len});
  Kernel& k = self.kernel();
  lua_pushboolean(L, k.send_service_event(self.pid(), service, {name, len}, payload, &k.encoder().buffer()).ok());
  return 1;
}

const char* check_service_name(lua_State* L, int arg) {
  std::size_t len;
  const char* name = check_string(L, arg, &len);
  if (len == 0) arg_error(L, arg, "service name must not be empty");
  return name;
}

int ipc_register(lua_State* L) {
  Process& self = current_process(L);
  const char* name = check_service_name(L, 1);
  Status r = self.kernel().register_service(self, name);
  if (r.err == Err::TooManyServices) return luaL_error(L, "%s", r.message());
  lua_pushboolean(L, r.ok());
  return 1;
}

int ipc_unregister(lua_State* L) {
  Process& self = current_process(L);
  const char* name = check_service_name(L, 1);
  lua_pushboolean(L, self.kernel().unregister_service(self, name));
  return 1;
}

int ipc_lookup(lua_State* L) {
  Process& self = current_process(L);
  const char* name = check_string(L, 1);
  if (auto owner = self.kernel().lookup_service(name)) lua_pushinteger(L, *owner);
  else lua_pushnil(L);
  return 1;
}

// Resumed once the blocker is satisfied or its deadline has passed.
int receive_k(lua_State* L, int, lua_KContext) {
  Process& self = current_process(L);
  Kernel& k = self.kernel();
  const ReceiveBlocker* b = self.blocker().as<ReceiveBlocker>();
  long i = b ? self.mailbox().find(b->filter) : -1;
  k.unblock(self);
  if (i < 0) {  // timed out
    lua_pushnil(L);
    return 1;
  }
  return k.take_event(L, self, static_cast<std::size_t>(i), EventView::Remote);
}

int ipc_receiveEvent(lua_State* L) {
  Process& self = current_process(L);
  std::int64_t pid = lua_isnoneornil(L, 1) ? 0 : check_pid(L, 1);
  const char* name = opt_string(L, 2, nullptr);
  double timeout = opt_number(L, 3, -1);
  if (!lua_isnoneornil(L, 3) && !(timeout >= 0)) arg_error(L, 3, "timeout must not be negative");
  // No process has a pid outside 1..INT_MAX: such a filter matches nothing.
  int sender = pid >= 0 && pid <= INT_MAX ? static_cast<int>(pid) : -1;
  self.kernel().block(self, ReceiveBlocker{RemoteFilter{sender, name == nullptr, name ? name : ""}}, timeout);
  if (timeout == 0 || self.blocker().satisfied(self)) return receive_k(L, LUA_OK, 0);
  return yield_to_kernel<receive_k>(L);
}

const luaL_Reg ipc_functions[] = {
    {"kill", ipc_kill},
    {"sigaction", ipc_sigaction},
    {"sendEvent", ipc_sendEvent},
    {"register", ipc_register},
    {"unregister", ipc_unregister},
    {"lookup", ipc_lookup},
    {"sendServiceEvent", ipc_sendServiceEvent},
    {"receiveEvent", ipc_receiveEvent},
    {nullptr, nullptr},
};

}  // namespace

int open_ipc(lua_State* L) {
  new_module(L, ipc_functions);
  lua_createtable(L, 0, static_cast<int>(all_signals().size()));
  for (const SignalInfo& s : all_signals()) set_field_integer(L, s.name.data(), s.number);
  lua_setfield(L, -2, "signal");
  return 1;
}

}  // namespace moonbox
