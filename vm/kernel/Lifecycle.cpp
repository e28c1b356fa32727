// A process's life in the kernel: spawning (a new Lua state, its
// environment and main chunk), exiting, its parent's notice and reaping,
// and what a process may change of itself (its directory, its user).
#include "vm/kernel/Kernel.h"

#include <algorithm>
#include <new>

#include <lua.hpp>

namespace moonbox {

namespace {

struct SetupArgs {
  const SpawnRequest* req;
  std::string chunkname;
  std::vector<int>* decode_frames;
  void (*open_environment)(lua_State*);
  int (*load_program)(lua_State*, std::string_view, const char*);
  Frame frame;
};

// Runs in a protected call on the new state: builds the environment,
// compiles the main chunk, and creates the main coroutine with its arguments.
int setup_process(lua_State* L) {
  auto* a = static_cast<SetupArgs*>(lua_touserdata(L, 1));
  if (a->open_environment) a->open_environment(L);
  else luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  const SpawnRequest& req = *a->req;
  int loaded = a->load_program
                   ? a->load_program(L, req.source, a->chunkname.c_str())
                   : luaL_loadbufferx(L, req.source.data(), req.source.size(), a->chunkname.c_str(), "t");
  if (loaded != LUA_OK) return lua_error(L);
  lua_State* co = lua_newthread(L);
  lua_pushvalue(L, -2);
  lua_xmove(L, co, 1);
  a->frame.nargs = req.args.empty() ? 0 : decode(co, req.args, *a->decode_frames);
  // arg, as the standalone lua and CC give programs: arg[0] is the program,
  // arg[1..n] its arguments (also the main chunk's ...).
  lua_createtable(L, a->frame.nargs, 1);
  lua_pushstring(L, (req.arg0.empty() ? req.name : req.arg0).c_str());
  lua_rawseti(L, -2, 0);
  for (int i = 1; i <= a->frame.nargs; i++) {
    lua_pushvalue(co, i + 1);  // co holds the function, then the arguments
    lua_xmove(co, L, 1);
    lua_rawseti(L, -2, i);
  }
  lua_setglobal(L, "arg");
  a->frame.co = co;
  a->frame.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

}  // namespace

SpawnResult Kernel::spawn(const SpawnRequest& req) {
  int pid = next_pid_;
  // The name is the host's copy of a program's string (startString's name,
  // a path): the process table keeps at most kMaxProcessName bytes of it.
  std::string_view name = std::string_view(req.name).substr(0, defaults::kMaxProcessName);
  auto p = std::make_unique<Process>(*this, pid, req.parent, std::string(name), req.user, req.cwd,
                                     req.memory_limit ? req.memory_limit : config_.memory_limit,
                                     config_.queue_capacity);
  p->tty_ = req.tty;
  p->memory_.shared = lock_.enabled_flag();
  if (const Process* parent = scheduler_.current()) p->home_ = parent->home_;  // starts beside its parent
  p->program_dir_ = req.program_dir;
  decode_frames_.reserve(message_info(req.args).max_depth);

  lua_State* L = lua_newstate(MemoryAccount::allocate, &p->memory_);
  if (!L) return SpawnResult::failure(Err::LoadFailed, "not enough memory");
  p->L_ = L;
  *static_cast<Process**>(lua_getextraspace(L)) = p.get();

  SetupArgs args{&req, "@" + (req.chunkname.empty() ? req.name : req.chunkname), &decode_frames_,
                 config_.open_environment, config_.load_program, {}};
  lua_pushcfunction(L, setup_process);
  lua_pushlightuserdata(L, &args);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    const char* msg = lua_tostring(L, -1);
    return SpawnResult::failure(Err::LoadFailed, msg ? msg : "cannot start process");
  }
  p->frames_.push_back(args.frame);
  p->started_at_ = now();
  next_pid_++;

  Process& proc = *p;
  procs_.emplace(pid, std::move(p));
  if (Process* parent = find(req.parent)) parent->children_.push_back(pid);
  trace_.record(TraceKind::Spawn, fact_time(), req.parent, pid, proc.name_, 0, proc.user_);
  scheduler_.make_ready(proc);
  return SpawnResult::success(pid);
}

std::size_t Kernel::processes_of(std::string_view user) const {
  std::size_t n = 0;
  for (const auto& [pid, p] : procs_)
    if (p->alive() && p->user_ == user) n++;
  return n;
}

SpawnResult Kernel::spawn_child(Process& parent, const ProgramSource& program, std::string_view args) {
  // A fork bomb meets the per-user limit; root is not limited, as on Unix,
  // so that init and the services it starts always can.
  if (!parent.is_root() && processes_of(parent.user_) >= config_.processes_per_user)
    return SpawnResult::failure(Err::TooManyProcesses);
  SpawnRequest req;
  req.args.assign(args);
  req.arg0.assign(program.arg0);
  if (program.source) {
    req.source.assign(program.source, program.source_len);
    req.name = program.name.empty() ? "string" : std::string(program.name);
  } else {
    auto file = host_.read_program(program.path, parent.cwd_);
    if (!file) return SpawnResult::failure(Err::NotFound, "file not found: " + std::string(program.path));
    std::string vpath = std::move(file->path);
    req.source = std::move(file->text);
    req.name = vpath;
    // CC's require searches relative paths from the program's directory.
    req.program_dir = vpath.substr(0, vpath.rfind('/') + 1);
  }
  req.parent = parent.pid();
  req.user = parent.user_;
  req.cwd = parent.cwd_;
  req.memory_limit = parent.memory_.limit;
  req.tty = parent.tty_;
  // A spawn is kernel work, done under the computer's lock (a new state, its
  // libraries, the program's compilation): like messages, it counts towards
  // the slice's exchanges, so a process busy starting others is not spread
  // to another worker. (Spread, it spawned on one core while its children
  // ran on the other, both waiting for the lock: a fan-in's 100 clients
  // started 1-2 ms slower on 2 workers than on one.)
  if (lock_.enabled() && scheduler_.current() == &parent) parent.slice_messages_ += Scheduler::kExchanging;
  return spawn(req);
}

// ---------------------------------------------------------------- exiting

namespace {
// Events a terminal's typing makes (the typeahead an exiting process hands on).
bool is_typed_input(std::string_view name) {
  return name == "char" || name == "key" || name == "key_up" || name == "paste";
}
}  // namespace

void Kernel::finalize_exit(Process& p, int status, std::string error, std::string traceback, int signal) {
  if (!p.alive()) return;
  if (p.step_ != StepMode::None) debugger_.forget(p);
  double t = now();
  if (!services_.all().empty()) {
    for (const std::string& name : services_.release_all(p.pid()))
      trace_.record(TraceKind::ServiceReleased, t, p.pid(), 0, name);
  }
  scheduler_.forget_timers(p);
  focus_.erase(p.pid());
  if (!vterms_.empty()) {
    std::vector<int> owned;  // closing one hangs up processes, which may close others
    for (const auto& [id, vt] : vterms_)
      if (vt.owner == p.pid()) owned.push_back(id);
    for (int id : owned) close_terminal(p, id);
  }
  for (const Event& e : p.mailbox_)
    if (e.kind == EventKind::Remote)
      trace_.record(TraceKind::EventDropped, t, e.sender, p.pid(), e.name(),
                    static_cast<std::uint32_t>(e.payload().size()), "receiver exited");
  // Typeahead: what was typed for the foreground and not read yet goes to
  // whoever has the terminal next (its shell), as a terminal keeps it on
  // Unix and as CC's shell sees it once a program returns.
  std::vector<std::pair<std::string, std::string>> typeahead;
  if (foreground_slot(p.tty_) == p.pid())
    for (const Event& e : p.mailbox_)
      if (e.kind == EventKind::System && is_typed_input(e.name()))
        typeahead.emplace_back(std::string(e.name()), std::string(e.payload()));
  p.memory_.discharge(p.mailbox_.bytes());
  p.mailbox_.clear();
  p.close_state();
  p.frames_.clear();
  p.state_ = ProcState::Zombie;
  p.exit_status_ = status;
  p.exit_signal_ = signal;
  p.error_ = std::move(error);
  p.traceback_ = std::move(traceback);
  p.pending_ = 0;

  // Orphans go to init, which reaps them (and learns of those already dead).
  Process* init = find(1);
  for (int child_pid : p.children_) {
    Process* child = find(child_pid);
    if (!child || !init || init == &p) continue;
    child->ppid_ = 1;
    init->children_.push_back(child_pid);
    if (!child->alive()) notify_parent(*child);
  }
  p.children_.clear();

  trace_.record(TraceKind::Exit, t, p.pid(), p.ppid_, p.name_, 0,
                p.error_.empty() ? "status " + std::to_string(status) : p.error_);
  release_foreground(p);
  // (after process_complete: the shell waiting for it then reads them)
  int next = typeahead.empty() ? 0 : foreground_slot(p.tty_);
  notify_parent(p);
  if (next != 0 && next != p.pid())
    for (const auto& [name, payload] : typeahead) post_event(next, name, payload);
  if (exit_listener_) exit_listener_(p);
}

void Kernel::notify_parent(Process& child) {
  Process* parent = find(child.ppid_);
  if (!parent || !parent->alive()) return;
  std::string payload;
  MessageWriter w(payload);
  w.begin_table();
  w.key("id").integer(child.pid());
  w.key("status").integer(child.exit_status_);
  if (!child.error_.empty()) w.key("error").string(child.error_);
  if (!child.traceback_.empty()) w.key("traceback").string(child.traceback_);
  if (child.exit_signal_) w.key("signal").integer(child.exit_signal_);
  w.end_table();
  w.finish();
  post_event(parent->pid(), "process_complete", payload);
  scheduler_.wake_if_satisfied(*parent);
}

void Kernel::notify_parent_stopped(Process& child, int sig) {
  Process* parent = find(child.ppid_);
  if (!parent || !parent->alive()) return;
  std::string payload;
  MessageWriter w(payload);
  w.begin_table().key("id").integer(child.pid()).key("signal").integer(sig).end_table();
  w.finish();
  post_event(parent->pid(), "process_stopped", payload);
}

int Kernel::reap(Process& parent, int child_pid) {
  Process* child = find(child_pid);
  int status = child ? child->exit_status_ : 0;
  std::erase(parent.children_, child_pid);
  if (Process*& slot = found_slot(child_pid); slot && slot->pid() == child_pid) slot = nullptr;
  procs_.erase(child_pid);
  return status;
}

Status Kernel::check_child(const Process& p, std::int64_t pid) const {
  const Process* child = find(pid);
  if (!child || child->ppid_ != p.pid()) return Status::failure(Err::NotChild);
  return {};
}

void Kernel::request_exit(Process& p, int status) {
  p.exit_requested_ = status;
  scheduler_.poke(p);
}

Status Kernel::change_dir(Process& p, std::string_view path) {
  auto dir = host_.find_directory(path, p.cwd_);
  if (!dir) return Status::failure(Err::NotDirectory);
  p.cwd_ = std::move(*dir);
  return {};
}

Status Kernel::set_user(Process& self, std::int64_t pid, std::string_view user) {
  Process* target = find(pid);
  if (!target || !target->alive()) return Status::failure(Err::NoSuchProcess);
  if (!self.is_root() || (target != &self && target->ppid_ != self.pid()))
    return Status::failure(Err::PermissionDenied);
  target->user_ = user;
  return {};
}

int Kernel::set_handler(Process& p, int sig, int ref) {
  int old = p.handlers_[sig];
  p.handlers_[sig] = ref;
  return old;
}

}  // namespace moonbox
