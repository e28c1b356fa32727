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

KillResult Kernel::kill(int from, int pid, int sig) {
  const SignalInfo* info = find_signal(sig);
  if (!info) return KillResult::InvalidSignal;
  Process* target = find(pid);
  if (!target) return KillResult::NoSuchProcess;
  if (pid == 1) return KillResult::PermissionDenied;
  if (const Process* sender = find(from); from != 0 && sender) {
    if (sender->user != "root" && sender->user != target->user) return KillResult::PermissionDenied;
  }
  trace_.record(TraceKind::SignalSent, now(), from, pid, info->name);
  if (target->alive()) deliver_signal(*target, sig, from);
  return KillResult::Ok;
}

void Kernel::deliver_signal(Process& p, int sig, int from) {
  if (sig == kSigCONT) continue_process(p);  // a stopped process resumes either way
  if (p.has_handler(sig)) {
    p.pending |= signal_bit(sig);
    if (&p == current_) p.attention = true;           // runs before kill() returns
    else if (p.state == ProcState::Blocked) make_ready(p);  // then waits again
    return;  // a stopped process keeps it pending until SIGCONT
  }
  if (sig != kSigCONT) apply_default(p, sig, from);
}

void Kernel::apply_default(Process& p, int sig, int from) {
  const SignalInfo& info = *find_signal(sig);
  p.stop_signal = sig;
  trace_.record(TraceKind::SignalDefault, now(), from, p.pid, info.name);
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
    console_->write_error(p.pid, std::string(info.name) + " (pid " + std::to_string(p.pid) + ")\n" + tb);
    trace_.record(TraceKind::SignalDefault, now(), from, p.pid, info.name, 0, tb);
  }
  if (&p == current_) {
    // A process that signals itself ends as soon as it is back in the kernel.
    p.exit_requested = 128 + sig;
    p.exit_signal = sig;
    p.traceback = std::move(tb);
    p.attention = true;
    return;
  }
  finalize_exit(p, 128 + sig, {}, std::move(tb), sig);
}

void Kernel::stop_process(Process& p, bool breakpoint) {
  if (!p.alive()) return;
  if (breakpoint) p.at_breakpoint = true;
  if (p.state == ProcState::Stopped) return;
  if (&p == current_) {
    p.stop_requested = true;
    p.attention = true;
    return;
  }
  p.state = ProcState::Stopped;
  trace_.record(TraceKind::Stop, now(), 0, p.pid, p.name, 0, breakpoint ? "breakpoint" : "");
  release_foreground(p);
  notify_parent_stopped(p, p.stop_signal);
}

void Kernel::continue_process(Process& p) {
  if (&p == current_) {
    p.stop_requested = false;
    return;
  }
  if (p.state != ProcState::Stopped) return;
  p.at_breakpoint = false;
  trace_.record(TraceKind::Continue, now(), 0, p.pid, p.name);
  settle(p);
}

std::string Kernel::traceback(int pid) {
  Process* p = find(pid);
  if (!p) return {};
  if (!p->alive() || p == current_) return p->traceback;
  return traceback_of(*p);
}

std::string Kernel::traceback_of(Process& p) {
  if (!p.L || p.frames.empty()) return {};
  std::string tb;
  lua_pushcfunction(p.L, traceback_fn);
  lua_pushthread(p.frames.front().co);
  lua_xmove(p.frames.front().co, p.L, 1);
  if (lua_pcall(p.L, 1, 1, 0) == LUA_OK && lua_isstring(p.L, -1)) tb = lua_tostring(p.L, -1);
  lua_pop(p.L, 1);
  return tb;
}

}  // namespace moonbox
