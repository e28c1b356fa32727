#include "vm/kernel/Kernel.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <new>

#include <lua.hpp>


namespace moonbox {

const char* err_text(Err err) {
  switch (err) {
    case Err::None: return "";
    case Err::NoSuchProcess: return "No such process";
    case Err::PermissionDenied: return "Permission denied";
    case Err::InvalidSignal: return "invalid signal";
    case Err::QueueFull: return "queue full";
    case Err::QuotaExceeded: return "receiver memory quota";
    case Err::TooManyProcesses: return "too many processes";
    case Err::TooManyTimers: return "too many timers";
    case Err::TooManyServices: return "too many services";
    case Err::NameTaken: return "name taken";
    case Err::NotChild: return "no such child process";
    case Err::NotFound: return "No such file";
    case Err::NotDirectory: return "Not a directory";
    case Err::LoadFailed: return "cannot start process";
  }
  return "?";
}

Kernel::Kernel(KernelConfig config, KernelHost& host)
    : config_(std::move(config)),
      host_(host),
      trace_(config_.trace_capacity),
      encoder_(config_.message_limit),
      scheduler_(*this) {
  scheduler_.set_workers(config_.workers);
}

Kernel::~Kernel() {
  scheduler_.set_workers(1);  // the helpers end: only this thread is left
  // Close every state before the table goes, so that finalizers that look up
  // other processes still find a consistent kernel.
  for (auto& [pid, p] : procs_) p->close_state();
}

Process* Kernel::find(std::int64_t pid) {
  if (pid <= 0 || pid > INT_MAX) return nullptr;  // never narrowed: 2^32 + n is not n
  Process*& slot = found_slot(static_cast<int>(pid));
  if (slot && slot->pid() == pid) return slot;
  auto it = procs_.find(static_cast<int>(pid));
  if (it == procs_.end()) return nullptr;
  slot = it->second.get();
  return slot;
}

const Process* Kernel::find(std::int64_t pid) const { return const_cast<Kernel*>(this)->find(pid); }

std::size_t Kernel::live_count() const {
  std::size_t n = 0;
  for (const auto& [pid, p] : procs_)
    if (p->alive()) n++;
  return n;
}

void Kernel::set_stuck_turn(StuckTurn fn) { scheduler_.set_stuck_turn(std::move(fn)); }

void Kernel::publish_busy(int pid, double seconds) {
  if (busy_listener_) busy_listener_(BusyReport{host_.host_id(), pid, seconds, snapshot()});
}

std::vector<ProcessRow> Kernel::snapshot() const {
  std::vector<ProcessRow> rows;
  rows.reserve(procs_.size());
  for (const auto& [pid, p] : procs_) {
    ProcessRow r;
    r.computer = host_.host_id();
    r.pid = pid;
    r.ppid = p->ppid_;
    r.name = p->name_;
    r.user = p->user_;
    r.state = p->state_;
    r.waiting = p->waiting_for();
    r.cpu_time = p->cpu_time_;
    r.memory = p->memory_.used;
    r.memory_limit = p->memory_.limit;
    r.queue = p->mailbox_.size();
    for (int sig = 1; sig < 32; sig++)
      if (p->has_handler(sig)) r.handlers.push_back(sig);
    r.breakpoint = p->at_breakpoint_;
    r.exit_status = p->exit_status_;
    r.error = p->error_;
    rows.push_back(std::move(r));
  }
  for (const auto& [name, owner] : services_.all()) {
    auto it = std::lower_bound(rows.begin(), rows.end(), owner,
                               [](const ProcessRow& r, int pid) { return r.pid < pid; });
    if (it != rows.end() && it->pid == owner) it->services.push_back(name);
  }
  return rows;
}

// ---------------------------------------------------------------- spawning

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
  return spawn(req);
}

// ---------------------------------------------------------------- exiting

void Kernel::finalize_exit(Process& p, int status, std::string error, std::string traceback, int signal) {
  if (!p.alive()) return;
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
  notify_parent(p);
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

// ---------------------------------------------------------------- the terminal

int& Kernel::foreground_slot(int tty) {
  if (tty == 0) return foreground_;
  auto it = vterms_.find(tty);
  if (it != vterms_.end()) return it->second.foreground;
  static thread_local int nobody;
  nobody = 0;
  return nobody;
}

int Kernel::foreground_of(const Process& p) const {
  return const_cast<Kernel*>(this)->foreground_slot(p.tty_);
}

void Kernel::note_terminal_output(const Process& p) {
  auto vt = vterms_.find(p.tty_);
  if (vt == vterms_.end() || vt->second.notified || vt->second.owner == 0 || !host_.terminal_changed(vt->first)) return;
  vt->second.notified = true;
  std::string payload;
  MessageWriter(payload).integer(vt->first).finish();
  post_event(vt->second.owner, "terminal_changed", payload);
}

void Kernel::terminal_seen(int id) {
  if (auto vt = vterms_.find(id); vt != vterms_.end()) vt->second.notified = false;
}

void Kernel::release_foreground(Process& p, bool stopping) {
  int& slot = foreground_slot(p.tty_);
  if (slot != p.pid()) return;
  if (!stopping) {
    const Process* parent = find(p.ppid_);
    slot = parent && parent->alive() && parent->tty_ == p.tty_ ? parent->pid() : 0;
    return;
  }
  for (const Process* up = find(p.ppid_); up && up->alive() && up->pid() != 1 && up->tty_ == p.tty_;
       up = find(up->ppid_)) {
    if (up->state_ != ProcState::Stopped) {
      slot = up->pid();
      return;
    }
  }
}

bool Kernel::post_input(std::string_view name, std::string_view payload) {
  return post_event(foreground_, name, payload).ok();
}

void Kernel::signal_foreground(int sig) {
  int pid = foreground_;
  // Through the focus of a multishell-like process down to its tab.
  for (int guard = 0; guard < 16; guard++) {
    auto focus = focus_.find(pid);
    if (focus == focus_.end()) break;
    auto vt = vterms_.find(focus->second);
    if (vt == vterms_.end() || !find(vt->second.foreground)) break;
    pid = vt->second.foreground;
  }
  Process* fg = find(pid);
  if (!fg || !fg->alive() || fg->pid() == 1) return;
  if (sig == kSigSTOP) stop_foreground_job(*fg);
  else kill(0, fg->pid(), sig);
}

// The job is the foreground process and each ancestor of it on the same
// terminal below the session's leader: the first ancestor whose parent is
// init or on another terminal (the shell, a multishell tab's shell), which
// takes the terminal back, as a Unix shell does when its job stops. With no
// job (the shell itself has the terminal, at its prompt), nothing happens,
// as in bash: a shell never stops itself.
void Kernel::stop_foreground_job(Process& fg) {
  std::vector<int> job;
  Process* session = &fg;
  for (Process* parent = find(fg.ppid_);
       parent && parent->alive() && parent->pid() != 1 && parent->tty_ == session->tty_;
       parent = find(parent->ppid_)) {
    job.push_back(session->pid());
    session = parent;
  }
  if (job.empty()) return;
  find(job.back())->job_foreground_ = fg.pid();
  for (int pid : job) {
    Process* member = find(pid);
    if (!member || !member->alive()) continue;
    member->job_stopped_ = true;
    kill(0, pid, kSigSTOP);
  }
  foreground_slot(fg.tty_) = session->pid();
}

void Kernel::continue_job(Process& leader) {
  for (int child_pid : leader.children_) {
    Process* child = find(child_pid);
    if (!child || !child->alive() || !child->job_stopped_) continue;
    child->job_stopped_ = false;
    continue_process(*child);
    continue_job(*child);
  }
}

// ---------------------------------------------------------------- virtual terminals

Result<int> Kernel::open_terminal(Process& owner, int width, int height) {
  std::size_t mine = 0;
  for (const auto& [id, vt] : vterms_)
    if (vt.owner == owner.pid()) mine++;
  if (mine >= 16) return Result<int>::failure(Err::TooManyProcesses, "too many terminals");
  width = std::clamp(width, 1, 256);
  height = std::clamp(height, 1, 256);
  int id = next_vterm_++;
  vterms_[id] = VirtualTerminal{owner.pid(), 0};
  host_.terminal_opened(id, width, height);
  return Result<int>::success(id);
}

bool Kernel::may_use_terminal(const Process& owner, int id) const {
  auto it = vterms_.find(id);
  return it != vterms_.end() && (it->second.owner == owner.pid() || it->second.owner == 0);
}

int Kernel::open_device_terminal(int width, int height) {
  int id = next_vterm_++;
  vterms_[id] = VirtualTerminal{0, 0};
  host_.terminal_opened(id, width, height);
  return id;
}

bool Kernel::is_device_terminal(int id) const {
  auto it = vterms_.find(id);
  return it != vterms_.end() && it->second.owner == 0;
}

void Kernel::close_device_terminal(int id) {
  if (is_device_terminal(id)) hang_up_terminal(id);
}

Status Kernel::close_terminal(Process& owner, int id) {
  auto it = vterms_.find(id);
  if (it == vterms_.end() || it->second.owner != owner.pid()) return Status::failure(Err::NotFound, "no such terminal");
  hang_up_terminal(id);
  return {};
}

void Kernel::hang_up_terminal(int id) {
  // Whatever still runs on it hangs up, as on a closed Unix terminal.
  std::vector<int> on_it;
  for (const auto& [pid, p] : procs_)
    if (p->alive() && p->tty_ == id) on_it.push_back(pid);
  vterms_.erase(id);
  host_.terminal_closed(id);
  for (auto& [pid, focus] : focus_)
    if (focus == id) focus = 0;
  for (int pid : on_it) kill(0, pid, kSigHUP);
}

SpawnResult Kernel::spawn_on_terminal(Process& owner, int id, const ProgramSource& program, std::string_view args) {
  if (!may_use_terminal(owner, id)) return SpawnResult::failure(Err::NotFound, "no such terminal");
  int saved = owner.tty_;
  owner.tty_ = id;  // the child inherits it
  SpawnResult r = spawn_child(owner, program, args);
  owner.tty_ = saved;
  if (r.ok()) vterms_[id].foreground = r.value;
  return r;
}

Status Kernel::post_to_terminal(Process& owner, int id, std::string_view name, std::string_view payload) {
  if (!may_use_terminal(owner, id)) return Status::failure(Err::NotFound, "no such terminal");
  return post_event(vterms_[id].foreground, name, payload);
}

Status Kernel::set_focus(Process& owner, int id) {
  if (id != 0 && !may_use_terminal(owner, id)) return Status::failure(Err::NotFound, "no such terminal");
  focus_[owner.pid()] = id;
  return {};
}

int Kernel::terminal_foreground(int id) const {
  auto it = vterms_.find(id);
  return it == vterms_.end() ? 0 : it->second.foreground;
}

namespace {
// True when `pid` is `ancestor` or descends from it.
bool descends_from(const Kernel& k, int pid, int ancestor) {
  for (int guard = 0; pid > 0 && guard < 100000; guard++) {
    if (pid == ancestor) return true;
    const Process* p = k.find(pid);
    if (!p) return false;
    pid = p->ppid();
  }
  return false;
}
}  // namespace

Status Kernel::set_foreground(Process& self, std::int64_t pid) {
  const Process* target = find(pid);
  if (!target || !target->alive()) return Status::failure(Err::NoSuchProcess);
  if (target->tty_ != self.tty_) return Status::failure(Err::PermissionDenied);  // another terminal
  int& slot = foreground_slot(self.tty_);
  const Process* holder = find(slot);
  bool holder_gone = !holder || !holder->alive();
  if (!self.is_root() && !holder_gone && !descends_from(*this, slot, self.pid()))
    return Status::failure(Err::PermissionDenied);
  // The terminal goes to the job: to whoever in it had it when Ctrl+Z
  // stopped it, or keeps it (a program the job's leader runs), as in a Unix
  // shell. A process that takes the terminal for itself always gets it.
  Process& job = *find(target->pid());
  const Process* had = find(job.job_foreground_);
  if (!had && target->pid() != self.pid() && !holder_gone) had = holder;
  job.job_foreground_ = 0;
  bool inside = had && had->alive() && had->tty_ == job.tty_ && descends_from(*this, had->pid(), job.pid());
  slot = inside ? had->pid() : target->pid();
  return {};
}

bool Kernel::stop_for_output(Process& p) {
  int fg_pid = foreground_of(p);
  if (!tostop_ || fg_pid == p.pid()) return false;
  const Process* fg = find(fg_pid);
  if (!fg || !fg->alive()) return false;
  kill(0, p.pid(), kSigTTOU);
  return p.attention_;
}

bool Kernel::stop_for_input(Process& p) {
  if (foreground_of(p) == p.pid()) return false;
  kill(0, p.pid(), kSigTTIN);
  return p.attention_;
}

// ---------------------------------------------------------------- events

Status Kernel::deliver(int from, Process* target, EventKind kind, std::string_view name, std::string_view payload,
                       std::string* whole) {
  double t = fact_time();
  int to = target ? target->pid() : 0;
  if (kind == EventKind::Remote) {
    trace_.record_message(TraceKind::EventSent, t, from, to, name, payload);
    trace_.capture_payload(payload);
  }
  Err refused = Err::None;
  if (!target || !target->alive()) refused = Err::NoSuchProcess;
  else if (target->mailbox_.full()) refused = Err::QueueFull;
  else if (!target->memory_.charge(payload.size())) refused = Err::QuotaExceeded;  // the queue's bytes, taken
  if (refused != Err::None) {
    trace_.record(TraceKind::EventDropped, t, from, to, name, static_cast<std::uint32_t>(payload.size()),
                  err_text(refused));
    return Status::failure(refused);
  }
  std::uint64_t id = ++next_event_id_;
  if (whole) {
    target->mailbox_.push_buffer(kind, *whole, whole->size() - payload.size(), from, id);
    payload = target->mailbox_.back().payload();  // the old view was into *whole
  } else {
    target->mailbox_.push(kind, name, from, payload, id);
  }
  trace_.record_message(TraceKind::EventQueued, t, from, to, name, payload, id);
  if (target->state_ == ProcState::Blocked) scheduler_.wake_if_satisfied(*target);
  return {};
}

Status Kernel::send_event(int from, std::int64_t to, std::string_view name, std::string_view payload,
                          std::string* whole) {
  return deliver(from, find(to), EventKind::Remote, name, payload, whole);
}

Status Kernel::send_service_event(int from, std::string_view service, std::string_view name,
                                  std::string_view payload, std::string* whole) {
  auto owner = services_.lookup(service);
  if (!owner) return Status::failure(Err::NoSuchProcess);
  return send_event(from, *owner, name, payload, whole);
}

Status Kernel::post_event(int to, std::string_view name, std::string_view payload) {
  return deliver(0, find(to), EventKind::System, name, payload);
}

Status Kernel::queue_own_event(Process& p, std::string_view name, std::string_view payload) {
  return deliver(p.pid(), &p, EventKind::System, name, payload);
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

int Kernel::take_event(lua_State* L, Process& p, std::size_t i, EventView view) {
  const Event& e = p.mailbox_.at(i);
  std::uint64_t id = e.id;
  if (!reserve_frames(decode_frames_, message_info(e.payload()).max_depth)) return luaL_error(L, "not enough memory");
  int n;
  if (e.kind == EventKind::Remote && view == EventView::Os) {
    lua_pushliteral(L, "remote_event");
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, e.name().data(), e.name().size());
    lua_setfield(L, -2, "type");
    lua_pushinteger(L, e.sender);
    lua_setfield(L, -2, "sender");
    decode(L, p.mailbox_.at(i).payload(), decode_frames_);
    lua_setfield(L, -2, "data");
    n = 2;
  } else {
    lua_pushlstring(L, e.name().data(), e.name().size());
    int sender = e.sender;
    n = 1 + decode(L, p.mailbox_.at(i).payload(), decode_frames_);
    if (view == EventView::Remote) {
      lua_pushinteger(L, sender);
      n++;
    }
  }
  // Remove it by id: a finalizer run by the allocations above may have
  // changed the mailbox meanwhile.
  for (std::size_t j = 0; j < p.mailbox_.size(); j++) {
    if (p.mailbox_.at(j).id != id) continue;
    const Event& taken = p.mailbox_.at(j);
    if (taken.kind == EventKind::Remote)
      trace_.record_message(TraceKind::EventReceived, fact_time(), taken.sender, p.pid(), taken.name(),
                            taken.payload(), taken.id);
    discard_event(p, j);
    break;
  }
  return n;
}

void Kernel::discard_event(Process& p, std::size_t i) {
  p.memory_.discharge(p.mailbox_.at(i).payload().size());
  p.mailbox_.drop(i);
}

// ---------------------------------------------------------------- services

Status Kernel::register_service(Process& p, std::string_view name) {
  auto owner = services_.lookup(name);
  if (owner == p.pid()) return {};
  if (owner) return Status::failure(Err::NameTaken);
  if (services_.count_of(p.pid()) >= config_.services_per_process) return Status::failure(Err::TooManyServices);
  if (!services_.claim(name, p.pid())) return Status::failure(Err::NameTaken);
  trace_.record(TraceKind::ServiceRegistered, fact_time(), p.pid(), 0, name);
  return {};
}

bool Kernel::unregister_service(Process& p, std::string_view name) {
  if (!services_.release(name, p.pid())) return false;
  trace_.record(TraceKind::ServiceReleased, fact_time(), p.pid(), 0, name);
  return true;
}

}  // namespace moonbox
