// Signal delivery: permission checks, handlers, and default actions.
#include <lua.hpp>

#include "vm/kernel/Kernel.h"

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
  if (!target->alive()) return {};
  bool by_default = !target->has_handler(sig) && sig != kSigCONT;
  deliver_signal(*target, sig, from);
  // A default action (terminate, stop) is done when kill returns, as with
  // one worker, also when the target is running on another one: wait until
  // it is back in the kernel.
  if (by_default && target->state_ == ProcState::Running && target != scheduler_.current())
    scheduler_.wait_until_back(target->pid());
  return {};
}

void Kernel::deliver_signal(Process& p, int sig, int from) {
  if (sig == kSigCONT) {  // a stopped process resumes either way, with its job
    p.job_stopped_ = false;
    continue_process(p);
    continue_job(p);
  }
  if (p.has_handler(sig)) {
    p.pending_ |= signal_bit(sig);
    if (p.state_ == ProcState::Running) scheduler_.poke(p);  // here (it signals itself) or on another worker
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
  // The state of a process running on another worker is that worker's:
  // its dump is written when its slice ends.
  bool elsewhere = p.state_ == ProcState::Running && &p != scheduler_.current();
  if (info.action == SignalAction::TerminateDump) {
    if (elsewhere) p.dump_pending_ = true;
    else tb = dump(p, from, sig);
  }
  if (p.state_ == ProcState::Running) {
    // A running process ends as soon as it is back in the kernel.
    p.exit_requested_ = 128 + sig;
    p.exit_signal_ = sig;
    p.traceback_ = std::move(tb);
    scheduler_.poke(p);
    return;
  }
  finalize_exit(p, 128 + sig, {}, std::move(tb), sig);
}

std::string Kernel::dump(Process& p, int from, int sig) {
  std::string_view name = find_signal(sig)->name;
  std::string tb = traceback_of(p);
  report_error(p, std::string(name) + " (pid " + std::to_string(p.pid()) + ")\n" + tb);
  trace_.record(TraceKind::SignalDefault, fact_time(), from, p.pid(), name, 0, tb);
  return tb;
}

void Kernel::stop_process(Process& p, bool breakpoint) {
  if (!p.alive()) return;
  if (breakpoint) p.at_breakpoint_ = true;
  if (p.state_ == ProcState::Stopped) return;
  if (p.state_ == ProcState::Running) {
    p.stop_requested_ = true;
    scheduler_.poke(p);
    return;
  }
  p.state_ = ProcState::Stopped;
  if (p.at_breakpoint_) {  // traced: the debugger sees a new stop
    if (!p.stopped_co_ && !p.frames_.empty()) p.stopped_co_ = p.frames_.back().co;
    if (p.stop_reason_.empty()) p.stop_reason_ = "pause";
    p.stop_count_++;
  }
  trace_.record(TraceKind::Stop, fact_time(), 0, p.pid(), p.name_, 0, p.at_breakpoint_ ? "breakpoint" : "");
  release_foreground(p, true);
  notify_parent_stopped(p, p.stop_signal_);
}

void Kernel::continue_process(Process& p) {
  if (p.state_ == ProcState::Running) {
    p.stop_requested_ = false;
    return;
  }
  if (p.state_ != ProcState::Stopped) return;
  bool traced = p.at_breakpoint_;
  p.at_breakpoint_ = false;
  p.stopped_co_ = nullptr;
  p.stop_reason_.clear();
  p.stop_line_ = 0;
  p.stop_text_.clear();
  debugger_.clear_kept(p);  // what the debugger held of this stop
  trace_.record(TraceKind::Continue, fact_time(), 0, p.pid(), p.name_, 0, traced ? "breakpoint" : "");
  if (p.pending_failure_) {  // stopped on its uncaught error: it ends now, as it would have
    auto [message, traceback] = std::move(*p.pending_failure_);
    p.pending_failure_.reset();
    p.state_ = ProcState::Ready;
    report_error(p, message + "\n" + traceback);
    finalize_exit(p, 1, message, traceback);
    return;
  }
  scheduler_.settle(p);
}

std::string Kernel::traceback(int pid) {
  Process* p = find(pid);
  if (!p) return {};
  if (!p->alive() || p->state_ == ProcState::Running) return p->traceback_;  // its state is in use
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
