#include "vm/Kernel.h"

#include <algorithm>
#include <filesystem>

#include <lua.hpp>

#include "vm/lib/Sandbox.h"

namespace moonbox {

Kernel::Kernel(KernelConfig config) : Kernel(std::move(config), nullptr) {}

Kernel::Kernel(KernelConfig config, Console& console) : Kernel(std::move(config), &console) {}

Kernel::Kernel(KernelConfig config, Console* console)
    : config_(std::move(config)),
      console_(console),
      trace_(config_.trace_capacity),
      vfs_(config_.data_dir, config_.rom_dir),
      encoder_(config_.message_limit) {
  vfs_.set_capacity(config_.disk_limit);
  if (!console_) {
    own_console_ = std::make_unique<TerminalConsole>(terminal_);
    console_ = own_console_.get();
  }
  load_bios();
}

const std::string* Kernel::bios_chunk(std::string_view name) const {
  auto it = bios_chunks_.find(name);
  return it == bios_chunks_.end() ? nullptr : &it->second;
}

void Kernel::load_bios() {
  std::error_code ec;
  std::filesystem::path dir = vfs_.rom() / "bios";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".lua") continue;
    std::string name = entry.path().stem().string();
    if (auto source = vfs_.read_file("/rom/bios/" + name + ".lua")) {
      std::string bytecode = compile_chunk(*source, "@/rom/bios/" + name + ".lua");
      if (!bytecode.empty()) bios_chunks_[name] = std::move(bytecode);
    }
  }
}

namespace {
int write_chunk(lua_State*, const void* p, size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}
}  // namespace

// Compiles a bios chunk once, in a scratch state, to bytecode that processes
// load instead of parsing the text again (parsing was most of the cost of a
// spawn). The bytecode is the kernel's own, made from the read-only rom;
// processes themselves can still load text chunks only.
std::string Kernel::compile_chunk(const std::string& source, const std::string& chunkname) {
  lua_State* L = luaL_newstate();
  std::string bytecode;
  if (L && luaL_loadbufferx(L, source.data(), source.size(), chunkname.c_str(), "t") == LUA_OK)
    lua_dump(L, write_chunk, &bytecode, 0);
  else if (L)
    console_->write_error(0, "bios: " + std::string(lua_tostring(L, -1)));
  if (L) lua_close(L);
  return bytecode;
}

Kernel::~Kernel() {
  // Close every state before the table goes, so that finalizers that look up
  // other processes still find a consistent kernel.
  for (auto& [pid, p] : procs_) {
    if (p->L) {
      p->closing = true;
      lua_close(p->L);
      p->L = nullptr;
    }
  }
}

Process* Kernel::find(int pid) {
  auto it = procs_.find(pid);
  return it == procs_.end() ? nullptr : it->second.get();
}

const Process* Kernel::find(int pid) const {
  auto it = procs_.find(pid);
  return it == procs_.end() ? nullptr : it->second.get();
}

std::size_t Kernel::live_count() const {
  std::size_t n = 0;
  for (const auto& [pid, p] : procs_)
    if (p->alive()) n++;
  return n;
}

namespace {
const char* wait_name(const Wait& w) {
  switch (w.kind) {
    case WaitKind::None: return "";
    case WaitKind::Remote: return "receiveEvent";
    case WaitKind::Event: return "pullEvent";
    case WaitKind::Sleep: return "sleep";
    case WaitKind::Child: return "wait";
  }
  return "";
}
}  // namespace

std::vector<ProcessRow> Kernel::snapshot() const {
  std::vector<ProcessRow> rows;
  rows.reserve(procs_.size());
  for (const auto& [pid, p] : procs_) {
    ProcessRow r;
    r.pid = pid;
    r.ppid = p->ppid;
    r.name = p->name;
    r.user = p->user;
    r.state = p->state;
    if (!p->frames.empty() && p->frames.back().wait.active()) {
      const Wait& w = p->frames.back().wait;
      r.waiting = wait_name(w);
      if (w.kind == WaitKind::Remote) {
        if (w.remote.sender) r.waiting += " from " + std::to_string(w.remote.sender);
        if (!w.remote.any_name) r.waiting += " '" + w.remote.name + "'";
      } else if (w.kind == WaitKind::Event && !w.event.empty()) {
        r.waiting += " '" + w.event + "'";
      } else if (w.kind == WaitKind::Child) {
        r.waiting += " " + std::to_string(w.child);
      }
    }
    r.cpu_time = p->cpu_time;
    r.memory = p->memory.used;
    r.memory_limit = p->memory.limit;
    r.queue = p->mailbox.size();
    for (int sig = 1; sig < 32; sig++)
      if (p->has_handler(sig)) r.handlers.push_back(sig);
    r.breakpoint = p->at_breakpoint;
    r.exit_status = p->exit_status;
    r.error = p->error;
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
  Frame frame;
};

// Runs in a protected call on the new state: builds the sandbox, compiles the
// main chunk, and creates the main coroutine with its arguments.
int setup_process(lua_State* L) {
  auto* a = static_cast<SetupArgs*>(lua_touserdata(L, 1));
  open_sandbox(L);
  const SpawnRequest& req = *a->req;
  if (luaL_loadbufferx(L, req.source.data(), req.source.size(), a->chunkname.c_str(), "t") != LUA_OK)
    return lua_error(L);
  lua_State* co = lua_newthread(L);
  lua_pushvalue(L, -2);
  lua_xmove(L, co, 1);
  a->frame.nargs = req.args.empty() ? 0 : decode(co, req.args, *a->decode_frames);
  a->frame.co = co;
  a->frame.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

}  // namespace

SpawnResult Kernel::spawn(const SpawnRequest& req) {
  int pid = next_pid_;
  auto p = std::make_unique<Process>(*this, pid, req.parent, req.name, req.user);
  p->memory.limit = req.memory_limit ? req.memory_limit : config_.memory_limit;
  p->mailbox.set_capacity(config_.queue_capacity);
  p->cwd = req.cwd;
  p->frames.reserve(4);
  decode_frames_.reserve(message_info(req.args).max_depth);

  lua_State* L = lua_newstate(MemoryAccount::allocate, &p->memory);
  if (!L) return {0, "not enough memory"};
  p->L = L;
  *static_cast<Process**>(lua_getextraspace(L)) = p.get();
  install_hook(L, config_.hook_count);

  SetupArgs args{&req, "@" + (req.chunkname.empty() ? req.name : req.chunkname), &decode_frames_, {}};
  lua_pushcfunction(L, setup_process);
  lua_pushlightuserdata(L, &args);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    const char* msg = lua_tostring(L, -1);
    return {0, msg ? msg : "cannot start process"};
  }
  p->frames.push_back(args.frame);
  p->started_at = now();
  next_pid_++;

  Process& proc = *p;
  procs_.emplace(pid, std::move(p));
  if (Process* parent = find(req.parent)) parent->children.push_back(pid);
  trace_.record(TraceKind::Spawn, now(), req.parent, pid, proc.name, 0, proc.user);
  make_ready(proc);
  return {pid, {}};
}

// ---------------------------------------------------------------- exiting

void Kernel::finalize_exit(Process& p, int status, std::string error, std::string traceback, int signal) {
  if (!p.alive()) return;
  double t = now();
  if (!services_.all().empty()) {
    for (const std::string& name : services_.release_all(p.pid))
      trace_.record(TraceKind::ServiceReleased, t, p.pid, 0, name);
  }
  if (p.timers > 0) {  // most processes have none: skip the scan
    for (auto it = os_timers_.begin(); it != os_timers_.end();)
      it = it->second == p.pid ? os_timers_.erase(it) : std::next(it);
  }
  for (const Event& e : p.mailbox)
    if (e.kind == EventKind::Remote)
      trace_.record(TraceKind::EventDropped, t, e.sender, p.pid, e.name,
                    static_cast<std::uint32_t>(e.payload.size()), "receiver exited");
  p.mailbox.clear();
  p.memory.queued = 0;
  if (p.L) {
    // The sandbox allows no __gc metamethods, so closing runs no user code.
    p.closing = true;
    lua_close(p.L);
    p.L = nullptr;
  }
  p.frames.clear();
  p.state = ProcState::Zombie;
  p.exit_status = status;
  p.exit_signal = signal;
  p.error = std::move(error);
  p.traceback = std::move(traceback);
  p.pending = 0;

  // Orphans go to init, which reaps them (and learns of those already dead).
  Process* init = find(1);
  for (int child_pid : p.children) {
    Process* child = find(child_pid);
    if (!child || !init || init == &p) continue;
    child->ppid = 1;
    init->children.push_back(child_pid);
    if (!child->alive()) notify_parent(*child);
  }
  p.children.clear();

  trace_.record(TraceKind::Exit, t, p.pid, p.ppid, p.name, 0,
                p.error.empty() ? "status " + std::to_string(status) : p.error);
  release_foreground(p);
  notify_parent(p);
  if (exit_listener_) exit_listener_(p);
}

void Kernel::notify_parent(Process& child) {
  Process* parent = find(child.ppid);
  if (!parent || !parent->alive()) return;
  std::string payload;
  MessageWriter w(payload);
  w.begin_table();
  w.key("id").integer(child.pid);
  w.key("status").integer(child.exit_status);
  if (!child.error.empty()) w.key("error").string(child.error);
  if (!child.traceback.empty()) w.key("traceback").string(child.traceback);
  if (child.exit_signal) w.key("signal").integer(child.exit_signal);
  w.end_table();
  w.finish();
  send_event(0, parent->pid, EventKind::System, "process_complete", payload);
  wake_if_satisfied(*parent);
}

void Kernel::notify_parent_stopped(Process& child, int sig) {
  Process* parent = find(child.ppid);
  if (!parent || !parent->alive()) return;
  std::string payload;
  MessageWriter w(payload);
  w.begin_table().key("id").integer(child.pid).key("signal").integer(sig).end_table();
  w.finish();
  send_event(0, parent->pid, EventKind::System, "process_stopped", payload);
}

void Kernel::release_foreground(Process& p) {
  if (foreground_ != p.pid) return;
  const Process* parent = find(p.ppid);
  foreground_ = parent && parent->alive() ? parent->pid : 0;
}

bool Kernel::post_input(std::string_view name, std::string_view payload) {
  Process* fg = find(foreground_);
  if (!fg || !fg->alive()) return false;
  return send_event(0, fg->pid, EventKind::System, name, payload);
}

void Kernel::signal_foreground(int sig) {
  Process* fg = find(foreground_);
  if (fg && fg->alive() && fg->pid != 1) kill(0, fg->pid, sig);
}

int Kernel::reap(Process& parent, int child_pid) {
  Process* child = find(child_pid);
  int status = child ? child->exit_status : 0;
  std::erase(parent.children, child_pid);
  procs_.erase(child_pid);
  return status;
}

// ---------------------------------------------------------------- events

bool Kernel::send_event(int from, int to, EventKind kind, std::string_view name, std::string_view payload) {
  double t = now();
  if (kind == EventKind::Remote) {
    trace_.record_message(TraceKind::EventSent, t, from, to, name, payload);
    trace_.capture_payload(payload);
  }
  Process* target = find(to);
  const char* refused = nullptr;
  if (!target || !target->alive()) refused = "no such process";
  else if (target->mailbox.full()) refused = "queue full";
  else if (target->memory.used + target->memory.queued + payload.size() > target->memory.limit)
    refused = "receiver memory quota";
  if (refused) {
    trace_.record(TraceKind::EventDropped, t, from, to, name, static_cast<std::uint32_t>(payload.size()), refused);
    return false;
  }
  Event e{kind, std::string(name), from, std::string(payload), ++next_event_id_};
  target->mailbox.push(std::move(e));
  target->memory.queued += payload.size();
  trace_.record_message(TraceKind::EventQueued, t, from, to, name, payload);
  if (target->state == ProcState::Blocked) wake_if_satisfied(*target);
  return true;
}

void Kernel::note_received(const Process& p, const Event& e) {
  trace_.record_message(TraceKind::EventReceived, now(), e.sender, p.pid, e.name, e.payload);
}

std::size_t Kernel::processes_of(std::string_view user) const {
  std::size_t n = 0;
  for (const auto& [pid, p] : procs_)
    if (p->alive() && p->user == user) n++;
  return n;
}

bool Kernel::register_service(Process& p, std::string_view name) {
  bool had = services_.lookup(name).has_value();
  if (!services_.claim(name, p.pid)) return false;
  if (!had) trace_.record(TraceKind::ServiceRegistered, now(), p.pid, 0, name);
  return true;
}

bool Kernel::unregister_service(Process& p, std::string_view name) {
  if (!services_.release(name, p.pid)) return false;
  trace_.record(TraceKind::ServiceReleased, now(), p.pid, 0, name);
  return true;
}

}  // namespace moonbox
