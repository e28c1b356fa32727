// system.process: starting, inspecting, waiting for and ending processes.
#include <algorithm>
#include <filesystem>

#include "vm/lib/Binding.h"
#include "vm/lib/Sandbox.h"

namespace moonbox {

namespace {

// Spawns a child of self. Plain C++: returns the pid, or 0 with the reason in
// the kernel's scratch buffer. `source` is null to read `path` from the VFS.
int spawn_child(Process& self, const char* path, const char* source, std::size_t source_len,
                const char* name, std::string_view args) {
  Kernel& k = self.kernel;
  // A fork bomb meets the per-user limit; root is not limited, as on Unix,
  // so that init and the services it starts always can.
  if (self.user != "root" && k.processes_of(self.user) >= k.config().processes_per_user) {
    k.scratch() = "too many processes";
    return 0;
  }
  SpawnRequest req;
  req.args.assign(args);
  if (source) {
    req.source.assign(source, source_len);
    req.name = name ? name : "string";
  } else {
    std::string vpath = Vfs::normalize(path, self.cwd);
    auto text = k.vfs().read_file(vpath);
    if (!text) {
      k.scratch() = "file not found: " + vpath;
      return 0;
    }
    req.source = std::move(*text);
    req.name = vpath;
  }
  req.parent = self.pid;
  req.user = self.user;
  req.cwd = self.cwd;
  req.memory_limit = self.memory.limit;
  SpawnResult r = k.spawn(req);
  if (!r.pid) k.scratch() = r.error;
  return r.pid;
}

int push_spawn_result(lua_State* L, int pid) {
  if (pid) {
    lua_pushinteger(L, pid);
    return 1;
  }
  lua_pushnil(L);
  const std::string& why = Process::from(L).kernel.scratch();
  lua_pushlstring(L, why.data(), why.size());
  return 2;
}

int process_start(lua_State* L) {
  Process& self = current_process(L);
  const char* path = check_string(L, 1);
  std::string_view args = encode_values(L, 2, lua_gettop(L) - 1, 2, "arg");
  return push_spawn_result(L, spawn_child(self, path, nullptr, 0, nullptr, args));
}

int process_startString(lua_State* L) {
  Process& self = current_process(L);
  std::size_t len;
  const char* source = check_string(L, 1, &len);
  const char* name = opt_string(L, 2, nullptr);
  int nargs = std::max(0, lua_gettop(L) - 2);
  std::string_view args = encode_values(L, 3, nargs, 3, "arg");
  return push_spawn_result(L, spawn_child(self, nullptr, source, len, name, args));
}

int process_getpid(lua_State* L) {
  lua_pushinteger(L, current_process(L).pid);
  return 1;
}

int process_getppid(lua_State* L) {
  lua_pushinteger(L, current_process(L).ppid);
  return 1;
}

const char* wait_description(const Wait& w) {
  switch (w.kind) {
    case WaitKind::None: return nullptr;
    case WaitKind::Remote: return "receiveEvent";
    case WaitKind::Event: return "pullEvent";
    case WaitKind::Sleep: return "sleep";
    case WaitKind::Child: return "wait";
  }
  return nullptr;
}

int process_getpinfo(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = check_integer(L, 1);
  const Process* p = self.kernel.find(static_cast<int>(pid));
  if (!p) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, 0, 16);
  set_field_integer(L, "pid", p->pid);
  set_field_integer(L, "ppid", p->ppid);
  set_field_string(L, "name", p->name);
  set_field_string(L, "user", p->user);
  set_field_string(L, "cwd", p->cwd);
  set_field_string(L, "state", proc_state_name(p->state));
  set_field_integer(L, "memory", static_cast<lua_Integer>(p->memory.used));
  set_field_integer(L, "memoryLimit", static_cast<lua_Integer>(p->memory.limit));
  set_field_integer(L, "queue", static_cast<lua_Integer>(p->mailbox.size()));
  lua_pushnumber(L, p->cpu_time);
  lua_setfield(L, -2, "cpuTime");
  lua_pushnumber(L, p->started_at);
  lua_setfield(L, -2, "started");
  if (!p->frames.empty()) {
    if (const char* w = wait_description(p->frames.front().wait)) set_field_string(L, "waiting", w);
  }
  if (p->at_breakpoint) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "breakpoint");
  }
  if (!p->alive()) {
    set_field_integer(L, "status", p->exit_status);
    if (!p->error.empty()) set_field_string(L, "error", p->error);
  }
  lua_newtable(L);
  int n = 0;
  for (const auto& [name, owner] : self.kernel.services().all()) {
    if (owner != p->pid) continue;
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
  lua_createtable(L, static_cast<int>(self.kernel.processes().size()), 0);
  int n = 0;
  for (const auto& entry : self.kernel.processes()) {
    lua_pushinteger(L, entry.first);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

int wait_k(lua_State* L, int, lua_KContext) {
  Process& self = current_process(L);
  Wait& w = self.top().wait;
  Process* child = self.kernel.find(w.child);
  if (!child || child->ppid != self.pid) {  // reaped meanwhile (by a handler)
    w = Wait{};
    lua_pushnil(L);
    return 1;
  }
  if (!child->alive()) {
    int pid = w.child;
    w = Wait{};
    lua_pushinteger(L, self.kernel.reap(self, pid));
    return 1;
  }
  if (self.kernel.now() >= w.deadline) {
    w = Wait{};
    lua_pushnil(L);
    return 1;
  }
  return yield_to_kernel(L, wait_k);
}

int process_wait(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = check_integer(L, 1);
  double timeout = opt_number(L, 2, -1);
  if (!lua_isnoneornil(L, 2) && !(timeout >= 0)) arg_error(L, 2, "timeout must not be negative");
  const Process* child = self.kernel.find(static_cast<int>(pid));
  if (!child || child->ppid != self.pid) arg_error(L, 1, "no such child process");
  Wait& w = self.kernel.begin_wait(self, WaitKind::Child, lua_isnoneornil(L, 2) ? -1 : timeout);
  w.child = static_cast<int>(pid);
  return wait_k(L, LUA_OK, 0);
}

// The error object exit() raises where it cannot yield; pcall may catch it,
// but the preemption hook raises again until the process has ended.
char exit_marker;

int process_exit(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer code = opt_integer(L, 1, 0);
  self.exit_requested = static_cast<int>(code);
  self.attention = true;
  if (lua_isyieldable(L)) return yield_to_kernel(L, nullptr);
  lua_pushlightuserdata(L, &exit_marker);
  return lua_error(L);
}

int process_getcwd(lua_State* L) {
  Process& self = current_process(L);
  lua_pushlstring(L, self.cwd.data(), self.cwd.size());
  return 1;
}

// chdir(path): true, or nil and a message when path is not a directory.
bool change_dir(Process& self, const char* path) {
  std::string vpath = Vfs::normalize(path, self.cwd);
  auto host = self.kernel.vfs().host_path(vpath);
  std::error_code ec;
  if (!host || !std::filesystem::is_directory(*host, ec)) return false;
  self.cwd = std::move(vpath);
  return true;
}

int process_chdir(lua_State* L) {
  Process& self = current_process(L);
  const char* path = check_string(L, 1);
  if (change_dir(self, path)) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushfstring(L, "%s: Not a directory", path);
  return 2;
}

int process_getforeground(lua_State* L) {
  lua_pushinteger(L, current_process(L).kernel.foreground());
  return 1;
}

// True when `pid` is `ancestor` or descends from it.
bool descends_from(const Kernel& k, int pid, int ancestor) {
  for (int guard = 0; pid > 0 && guard < 100000; guard++) {
    if (pid == ancestor) return true;
    const Process* p = k.find(pid);
    if (!p) return false;
    pid = p->ppid;
  }
  return false;
}

// setforeground(pid): gives the terminal's input to pid. Allowed to root, and
// to the process that holds the terminal or an ancestor of it (a shell
// handing the terminal to its job and taking it back).
int process_setforeground(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = check_integer(L, 1);
  Kernel& k = self.kernel;
  const Process* target = k.find(static_cast<int>(pid));
  if (!target || !target->alive()) return luaL_error(L, "No such process");
  int fg = k.foreground();
  const Process* holder = k.find(fg);
  bool holder_gone = !holder || !holder->alive();
  if (self.user != "root" && !holder_gone && !descends_from(k, fg, self.pid))
    return luaL_error(L, "Permission denied");
  k.set_foreground(static_cast<int>(pid));
  return 0;
}

// setuser(pid, user): root gives one of its children (or itself) a user,
// as init does for the shell. Not in Phoenix; moonbox's stand-in for setuid.
int process_setuser(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer pid = check_integer(L, 1);
  const char* user = check_string(L, 2);
  if (*user == '\0') arg_error(L, 2, "user name must not be empty");
  Process* target = self.kernel.find(static_cast<int>(pid));
  if (!target || !target->alive()) return luaL_error(L, "No such process");
  if (self.user != "root" || (target != &self && target->ppid != self.pid)) return luaL_error(L, "Permission denied");
  target->user = user;
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
    self.kernel.set_tostop(lua_toboolean(L, 2));
  }
  lua_pushboolean(L, self.kernel.tostop());
  return 1;
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
    {nullptr, nullptr},
};

}  // namespace

int lib_sleep(lua_State* L);  // LibOs.cpp

int open_process(lua_State* L) {
  new_module(L, process_functions);
  lua_pushcfunction(L, lib_sleep);
  lua_setfield(L, -2, "sleep");
  return 1;
}

}  // namespace moonbox
