// Signal delivery: permission checks, handlers, and default actions.
#include <lua.hpp>

#include "vm/Kernel.h"

namespace moonbox {

namespace {
int traceback_fn(lua_State* L) {
  luaL_traceback(L, lua_tothread(L, 1), nullptr, 0);
  return 1;
}
}  // namespace

Status Kernel::kill(int from, std::int64_t pid, int sig) {
  const SignalInfo* info = find_signal(sig);
  if (!info) return Status::failure(Err::InvalidSignal);
  Process* target = find(pid);
  if (!target) return Status::failure(Err::NoSuchProcess);
  if (target->pid() == 1) return Status::failure(Err::PermissionDenied);
  if (const Process* sender = find(from); from != 0 && sender) {
    if (!sender->is_root() && sender->user_ != target->user_) return Status::failure(Err::PermissionDenied);
  }
  trace_.record(TraceKind::SignalSent, fact_time(), from, target->pid(), info->name);
  if (target->alive()) deliver_signal(*target, sig, from);
  return {};
}

void Kernel::deliver_signal(Process& p, int sig, int from) {
  if (sig == kSigCONT) continue_process(p);  // a stopped process resumes either way
  if (p.has_handler(sig)) {
    p.pending_ |= signal_bit(sig);
    if (&p == scheduler_.current()) {  // runs before kill() returns
      p.attention_ = true;
      scheduler_.poke();
    }
    else if (p.state_ == ProcState::Blocked) scheduler_.make_ready(p);  // then waits again
    return;  // a stopped process keeps it pending until SIGCONT
  }
  if (sig != kSigCONT) apply_default(p, sig, from);
}

void Kernel::apply_default(Process& p, int sig, int from) {
  const SignalInfo& info = *find_signal(sig);
  p.stop_signal_ = sig;
  trace_.record(TraceKind::SignalDefault, fact_time(), from, p.pid(), info.name);
  switch (info.action) {
    case SignalAction::Continue: continue_process(p); return;
    case SignalAction::Stop: stop_process(p, false); return;
    case SignalAction::Breakpoint: stop_process(p, true); return;
    case SignalAction::Terminate:
    case SignalAction::TerminateDump: break;
  }
  std::string tb;
  if (info.action == SignalAction::TerminateDump) {
    tb = traceback_of(p);
    console().write_error(p.pid(), std::string(info.name) + " (pid " + std::to_string(p.pid()) + ")\n" + tb);
    trace_.record(TraceKind::SignalDefault, fact_time(), from, p.pid(), info.name, 0, tb);
  }
  if (&p == scheduler_.current()) {
    // A process that signals itself ends as soon as it is back in the kernel.
    p.exit_requested_ = 128 + sig;
    p.exit_signal_ = sig;
    p.traceback_ = std::move(tb);
    p.attention_ = true;
    scheduler_.poke();
    return;
  }
  finalize_exit(p, 128 + sig, {}, std::move(tb), sig);
}

void Kernel::stop_process(Process& p, bool breakpoint) {
  if (!p.alive()) return;
  if (breakpoint) p.at_breakpoint_ = true;
  if (p.state_ == ProcState::Stopped) return;
  if (&p == scheduler_.current()) {
    p.stop_requested_ = true;
    p.attention_ = true;
    scheduler_.poke();
    return;
  }
  p.state_ = ProcState::Stopped;
  trace_.record(TraceKind::Stop, fact_time(), 0, p.pid(), p.name_, 0, breakpoint ? "breakpoint" : "");
  release_foreground(p);
  notify_parent_stopped(p, p.stop_signal_);
}

void Kernel::continue_process(Process& p) {
  if (&p == scheduler_.current()) {
    p.stop_requested_ = false;
    return;
  }
  if (p.state_ != ProcState::Stopped) return;
  p.at_breakpoint_ = false;
  trace_.record(TraceKind::Continue, fact_time(), 0, p.pid(), p.name_);
  scheduler_.settle(p);
}

std::string Kernel::traceback(int pid) {
  Process* p = find(pid);
  if (!p) return {};
  if (!p->alive() || p == scheduler_.current()) return p->traceback_;
  return traceback_of(*p);
}

std::string Kernel::traceback_of(Process& p) {
  if (!p.L_ || p.frames_.empty()) return {};
  std::string tb;
  lua_pushcfunction(p.L_, traceback_fn);
  lua_pushthread(p.frames_.front().co);
  lua_xmove(p.frames_.front().co, p.L_, 1);
  if (lua_pcall(p.L_, 1, 1, 0) == LUA_OK && lua_isstring(p.L_, -1)) tb = lua_tostring(p.L_, -1);
  lua_pop(p.L_, 1);
  return tb;
}

}  // namespace moonbox
