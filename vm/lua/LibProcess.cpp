// system.process: starting, inspecting, waiting for and ending processes.
#include <algorithm>
#include <cmath>

#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

int push_spawn_result(lua_State* L, const SpawnResult& r) {
  if (r.ok()) {
    lua_pushinteger(L, r.value);
    return 1;
  }
  lua_pushnil(L);
  lua_pushstring(L, r.message());
  return 2;
}

// start(path, ...) or start({path = , arg0 = , user = , foreground = }, ...):
// arg0 is what the program sees as arg[0] (a shell passes the command as
// typed); user (root only, as setuser) and foreground = true (the terminal,
// for a process that holds it) apply before the child can run, so that it
// never starts as the wrong user or as a background job. event = {name,
// value} is queued for the child, from this process, before it can run (a
// shell's state, which the program reads as it starts).
int process_start(lua_State* L) {
  Process& self = current_process(L);
  int nargs = lua_gettop(L) - 1;
  std::size_t len = 0, arg0_len = 0;
  const char* path;
  const char* arg0 = "";
  bool foreground = false;
  const char* user = nullptr;
  std::size_t user_len = 0;
  int event_at = 0;  // stack index of the event's name; its value is next
  if (lua_type(L, 1) == LUA_TTABLE) {
    // The fields stay on the stack, above the arguments, while they are
    // used: an __index metamethod may have made them, and only the stack
    // keeps them from the collector.
    if (lua_getfield(L, 1, "path") != LUA_TSTRING) arg_error(L, 1, "path expected in the table");
    path = lua_tolstring(L, -1, &len);
    int arg0_type = lua_getfield(L, 1, "arg0");
    if (arg0_type != LUA_TNIL && arg0_type != LUA_TSTRING) arg_error(L, 1, "arg0 must be a string");
    if (arg0_type == LUA_TSTRING) arg0 = lua_tolstring(L, -1, &arg0_len);
    lua_getfield(L, 1, "foreground");
    foreground = lua_toboolean(L, -1);
    int user_type = lua_getfield(L, 1, "user");
    if (user_type != LUA_TNIL && user_type != LUA_TSTRING) arg_error(L, 1, "user must be a string");
    if (user_type == LUA_TSTRING) user = lua_tolstring(L, -1, &user_len);
    int event_type = lua_getfield(L, 1, "event");
    if (event_type != LUA_TNIL) {
      if (event_type != LUA_TTABLE) arg_error(L, 1, "event must be a table {name, value}");
      lua_rawgeti(L, -1, 1);
      if (lua_type(L, -1) != LUA_TSTRING) arg_error(L, 1, "event must be a table {name, value}");
      event_at = lua_gettop(L);
      lua_rawgeti(L, -2, 2);
    }
  } else {
    path = check_string(L, 1, &len);
  }
  if (const char* why = bad_path_reason({path, len})) arg_error(L, 1, why);
  std::string_view args = encode_values(L, 2, nargs, 2, "arg");
  ProgramSource program{{path, len}, nullptr, 0, {}, {arg0, arg0_len}};
  SpawnResult started = self.kernel().spawn_child(self, program, args);
  if (started.ok() && user) {
    Status changed = self.kernel().set_user(self, started.value, {user, user_len});
    if (!changed.ok()) {  // not allowed: the child must not run as someone else
      self.kernel().kill(0, started.value, kSigKILL);
      return arg_error(L, 1, changed.message()), 0;
    }
  }
  if (started.ok() && foreground) self.kernel().set_foreground(self, started.value);  // refused: stays in the back
  if (started.ok() && event_at) {
    std::string_view payload = encode_values(L, event_at + 1, 1, 1, "event");
    self.kernel().send_event(self.pid(), started.value, lua_tostring(L, event_at), payload);
  }
  return push_spawn_result(L, started);
}

int process_startString(lua_State* L) {
  Process& self = current_process(L);
  std::size_t len;
  const char* source = check_string(L, 1, &len);
  const char* name = opt_string(L, 2, nullptr);
  int nargs = std::max(0, lua_gettop(L) - 2);
  std::string_view args = encode_values(L, 3, nargs, 3, "arg");
  ProgramSource program{{}, source, len, name ? name : "", {}};
  return push_spawn_result(L, self.kernel().spawn_child(self, program, args));
}

int process_getpid(lua_State* L) {
  lua_pushinteger(L, current_process(L).pid());
  return 1;
}

int process_getppid(lua_State* L) {
  lua_pushinteger(L, current_process(L).ppid());
  return 1;
}

int process_getpinfo(lua_State* L) {
  Process& self = current_process(L);
  const Process* p = self.kernel().find(check_pid(L, 1));
  if (!p) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, 0, 16);
  set_field_integer(L, "pid", p->pid());
  set_field_integer(L, "ppid", p->ppid());
  set_field_string(L, "name", p->name());
  set_field_string(L, "user", p->user());
  set_field_string(L, "cwd", p->cwd());
  set_field_string(L, "state", proc_state_name(p->state()));
  set_field_integer(L, "memory", static_cast<lua_Integer>(p->memory().used));
  set_field_integer(L, "memoryLimit", static_cast<lua_Integer>(p->memory().limit));
  set_field_integer(L, "queue", static_cast<lua_Integer>(p->mailbox().size()));
  lua_pushnumber(L, p->cpu_time());
  lua_setfield(L, -2, "cpuTime");
  lua_pushnumber(L, p->started_at());
  lua_setfield(L, -2, "started");
  if (const char* call = p->waiting_call()) set_field_string(L, "waiting", call);
  if (p->at_breakpoint()) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "breakpoint");
  }
  if (!p->alive()) {
    set_field_integer(L, "status", p->exit_status());
    if (!p->error().empty()) set_field_string(L, "error", p->error());
  }
  lua_newtable(L);
  int n = 0;
  for (const auto& [name, owner] : self.kernel().services().all()) {
    if (owner != p->pid()) continue;
    lua_pushlstring(L, name.data(), name.size());
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "services");
  lua_newtable(L);
  n = 0;
  for (int sig = 1; sig < 32; sig++) {
    if (!p->has_handler(sig)) continue;
    lua_pushinteger(L, sig);
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "handlers");
  return 1;
}

int process_getplist(lua_State* L) {
  Process& self = current_process(L);
  lua_createtable(L, static_cast<int>(self.kernel().processes().size()), 0);
  int n = 0;
  for (const auto& entry : self.kernel().processes()) {
    lua_pushinteger(L, entry.first);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

// The status of child `pid` if it has exited (reaping it), else nil.
int finish_wait(lua_State* L, Process& self, int pid) {
  Kernel& k = self.kernel();
  const Process* child = k.find(pid);
  if (!child || child->ppid() != self.pid() || child->alive()) {  // reaped by a handler, or timed out
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, k.reap(self, pid));
  return 1;
}

// Resumed once the child has exited or the deadline has passed.
int wait_k(lua_State* L, int, lua_KContext pid) {
  Process& self = current_process(L);
  self.kernel().unblock(self);
  return finish_wait(L, self, static_cast<int>(pid));
}

int process_wait(lua_State* L) {
  Process& self = current_process(L);
  std::int64_t pid = check_pid(L, 1);
  double timeout = opt_number(L, 2, -1);
  if (!lua_isnoneornil(L, 2) && !(timeout >= 0)) arg_error(L, 2, "timeout must not be negative");
  Kernel& k = self.kernel();
  Status r = k.check_child(self, pid);
  if (!r.ok()) arg_error(L, 1, r.message());
  int child = k.find(pid)->pid();
  k.block(self, ChildBlocker{child}, timeout);
  if (timeout == 0 || self.blocker().satisfied(self)) return wait_k(L, LUA_OK, child);
  return yield_to_kernel<wait_k>(L, child);
}

int process_exit(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer code = opt_integer(L, 1, 0);
  self.kernel().request_exit(self, static_cast<int>(code));
  if (lua_isyieldable(L)) return yield_to_kernel(L);
  // Where nothing can yield, an error unwinds; pcall may catch it, but the
  // preemption hook raises again until the process is back in the kernel.
  lua_pushliteral(L, "process is exiting");
  return lua_error(L);
}

int process_getcwd(lua_State* L) {
  Process& self = current_process(L);
  lua_pushlstring(L, self.cwd().data(), self.cwd().size());
  return 1;
}

int process_chdir(lua_State* L) {
  Process& self = current_process(L);
  const char* path = check_string(L, 1);
  if (self.kernel().change_dir(self, path).ok()) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushfstring(L, "%s: Not a directory", path);
  return 2;
}

int process_getforeground(lua_State* L) {
  Process& self = current_process(L);
  lua_pushinteger(L, self.kernel().foreground_of(self));
  return 1;
}

// setforeground(pid): gives the terminal's input to pid (the kernel's rule:
// root, or the holder of the terminal or an ancestor of it).
int process_setforeground(lua_State* L) {
  Process& self = current_process(L);
  Status r = self.kernel().set_foreground(self, check_pid(L, 1));
  if (!r.ok()) return luaL_error(L, "%s", r.message());
  return 0;
}

// setuser(pid, user): root gives one of its children (or itself) a user,
// as init does for the shell. Not in Phoenix; moonbox's stand-in for setuid.
int process_setuser(lua_State* L) {
  Process& self = current_process(L);
  std::int64_t pid = check_pid(L, 1);
  std::size_t len;
  const char* user = check_string(L, 2, &len);
  if (len == 0) arg_error(L, 2, "user name must not be empty");
  Status r = self.kernel().set_user(self, pid, {user, len});
  if (!r.ok()) return luaL_error(L, "%s", r.message());
  return 0;
}

// tty(option [, on]): the terminal's options, as stty sets them. Only
// "tostop" exists. Returns the option's value (after setting it).
int process_tty(lua_State* L) {
  Process& self = current_process(L);
  static const char* const options[] = {"tostop", nullptr};
  check_option(L, 1, nullptr, options);
  if (!lua_isnoneornil(L, 2)) {
    if (!lua_isboolean(L, 2)) type_error(L, 2, "boolean");
    self.kernel().set_tostop(lua_toboolean(L, 2));
  }
  lua_pushboolean(L, self.kernel().tostop());
  return 1;
}

int sleep_k(lua_State* L, int, lua_KContext) {
  Process& self = current_process(L);
  self.kernel().unblock(self);
  return 0;
}

// sleep(seconds): the kernel's sleep. It always gives up the processor, even for 0 seconds (then
// every process ready or running at that moment has its turn first, also on other workers), and
// leaves queued events where they are (unlike CC's, which drops them).
int process_sleep(lua_State* L) {
  Process& self = current_process(L);
  double seconds = opt_number(L, 1, 0);
  if (std::isnan(seconds)) arg_error(L, 1, "number expected, got nan");
  self.kernel().block(self, SleepBlocker{}, seconds > 0 ? seconds : 0);
  if (!(seconds > 0)) self.kernel().scheduler().give_turn(self);
  return yield_to_kernel<sleep_k>(L);
}

const luaL_Reg process_functions[] = {
    {"start", process_start},
    {"startString", process_startString},
    {"getpid", process_getpid},
    {"getppid", process_getppid},
    {"getpinfo", process_getpinfo},
    {"getplist", process_getplist},
    {"wait", process_wait},
    {"exit", process_exit},
    {"getcwd", process_getcwd},
    {"chdir", process_chdir},
    {"getforeground", process_getforeground},
    {"setforeground", process_setforeground},
    {"setuser", process_setuser},
    {"tty", process_tty},
    {"sleep", process_sleep},
    {nullptr, nullptr},
};

}  // namespace

int open_process(lua_State* L) {
  new_module(L, process_functions);
  return 1;
}

}  // namespace moonbox
