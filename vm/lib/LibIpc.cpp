// system.ipc: signals, remote events and named services.
// The contract is shared/spec/system.ipc.md; the semantics are ARCHITECTURE.md.
#include <cmath>

#include "vm/lib/Binding.h"
#include "vm/lib/Sandbox.h"

namespace moonbox {

namespace {

int ipc_kill(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = check_integer(L, 1);
  int sig = check_signal(L, 2);
  switch (self.kernel.kill(self.pid, static_cast<int>(pid), sig)) {
    case KillResult::Ok: break;
    case KillResult::NoSuchProcess: return luaL_error(L, "No such process");
    case KillResult::PermissionDenied: return luaL_error(L, "Permission denied");
    case KillResult::InvalidSignal: arg_error(L, 2, "invalid signal");
  }
  // A signal to ourselves takes effect before kill returns: go back to the
  // kernel, which runs the handler or the default action first.
  if (self.attention && lua_isyieldable(L)) return yield_to_kernel(L, nullptr);
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
  luaL_unref(L, LUA_REGISTRYINDEX, self.handlers[sig]);
  self.handlers[sig] = ref;
  return 0;
}

// The optional param table of sendEvent / sendServiceEvent at `arg`.
std::string_view check_param(lua_State* L, int arg) {
  if (lua_isnoneornil(L, arg)) {
    lua_settop(L, arg - 1);
    lua_newtable(L);
  } else {
    check_table(L, arg);
  }
  return encode_values(L, arg, 1, arg, "param");
}

int ipc_sendEvent(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = check_integer(L, 1);
  std::size_t len;
  const char* name = check_string(L, 2, &len);
  std::string_view payload = check_param(L, 3);
  bool ok = pid > 0 && pid <= INT32_MAX &&
            self.kernel.send_event(self.pid, static_cast<int>(pid), EventKind::Remote, {name, len}, payload);
  lua_pushboolean(L, ok);
  return 1;
}

int ipc_sendServiceEvent(lua_State* L) {
  Process& self = current_process(L);
  const char* service = check_string(L, 1);
  std::size_t len;
  const char* name = check_string(L, 2, &len);
  std::string_view payload = check_param(L, 3);
  auto owner = self.kernel.services().lookup(service);
  bool ok = owner && self.kernel.send_event(self.pid, *owner, EventKind::Remote, {name, len}, payload);
  lua_pushboolean(L, ok);
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
  Kernel& k = self.kernel;
  if (k.services().lookup(name) != self.pid && k.services().count_of(self.pid) >= k.config().services_per_process)
    return luaL_error(L, "too many services");
  lua_pushboolean(L, self.kernel.register_service(self, name));
  return 1;
}

int ipc_unregister(lua_State* L) {
  Process& self = current_process(L);
  const char* name = check_service_name(L, 1);
  lua_pushboolean(L, self.kernel.unregister_service(self, name));
  return 1;
}

int ipc_lookup(lua_State* L) {
  Process& self = current_process(L);
  const char* name = check_string(L, 1);
  auto owner = self.kernel.services().lookup(name);
  if (owner) lua_pushinteger(L, *owner);
  else lua_pushnil(L);
  return 1;
}

// Pushes event, param, sender for mailbox entry i and removes it. The entry
// is removed only after decoding succeeded, so a failure loses nothing.
int take_remote(lua_State* L, Process& self, std::size_t i) {
  const Event& e = self.mailbox.at(i);
  std::uint64_t id = e.id;
  int sender = e.sender;
  lua_pushlstring(L, e.name.data(), e.name.size());
  push_message(L, self.mailbox.at(i).payload);
  lua_pushinteger(L, sender);
  // A finalizer run by the allocations above may have used the mailbox.
  for (std::size_t j = 0; j < self.mailbox.size(); j++) {
    if (self.mailbox.at(j).id == id) {
      self.kernel.note_received(self, self.mailbox.at(j));
      self.memory.queued -= self.mailbox.at(j).payload.size();
      self.mailbox.take(j);
      break;
    }
  }
  return 3;
}

int receive_k(lua_State* L, int, lua_KContext) {
  Process& self = current_process(L);
  Wait& w = self.top().wait;
  long i = self.mailbox.find(w.remote);
  if (i >= 0) {
    w = Wait{};
    return take_remote(L, self, static_cast<std::size_t>(i));
  }
  if (self.kernel.now() >= w.deadline) {
    w = Wait{};
    lua_pushnil(L);
    return 1;
  }
  return yield_to_kernel(L, receive_k);
}

int ipc_receiveEvent(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = opt_integer(L, 1, 0);
  const char* name = opt_string(L, 2, nullptr);
  double timeout = opt_number(L, 3, -1);
  if (!lua_isnoneornil(L, 3) && !(timeout >= 0)) arg_error(L, 3, "timeout must not be negative");
  Wait& w = self.kernel.begin_wait(self, WaitKind::Remote, lua_isnoneornil(L, 3) ? -1 : timeout);
  w.remote.sender = static_cast<int>(pid);
  w.remote.any_name = name == nullptr;
  if (name) w.remote.name = name;
  return receive_k(L, LUA_OK, 0);
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
