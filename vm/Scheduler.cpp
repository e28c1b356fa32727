// The scheduler: the run queue, time slices, preemption, and what happens
// when a process's coroutine yields, returns or fails.
#include <lua.hpp>

#include "vm/Kernel.h"

namespace moonbox {

namespace {

// The error object process.exit() raises where it cannot yield; pcall may
// catch it, but the hook raises it again until the process is gone.
char exit_marker;

// Runs every hook_count instructions in every coroutine of a process (Lua
// copies the hook into each new thread).
void preempt_hook(lua_State* L, lua_Debug*) {
  Process& p = Process::from(L);
  if (p.closing) luaL_error(L, "process is exiting");
  Kernel& k = p.kernel;
  double t = k.now();
  if (!p.attention && t < p.slice_deadline) return;
  if (lua_isyieldable(L)) {
    p.kernel_yield = true;
    lua_yield(L, 0);  // a hook yield: must be the hook's last call
    return;
  }
  if (p.exit_requested) {
    lua_pushlightuserdata(L, &exit_marker);
    lua_error(L);
  }
  // Inside table.sort, gsub callbacks, metamethods...: no yield is possible,
  // so the budget is wall time since the process was last resumed.
  if (t - p.resumed_at > k.config().yield_limit) luaL_error(L, "too long without yielding");
}

// Creates a handler coroutine for the signal in arg 2; ud in arg 1 is the
// Frame to fill in. Runs in a protected call on the process's main thread.
int setup_handler(lua_State* L) {
  auto* f = static_cast<Frame*>(lua_touserdata(L, 1));
  auto sig = static_cast<int>(lua_tointeger(L, 2));
  Process& p = Process::from(L);
  lua_State* co = lua_newthread(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, p.handlers[sig]);
  lua_xmove(L, co, 1);
  lua_pushinteger(co, sig);
  f->co = co;
  f->nargs = 1;
  f->signal = sig;
  f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

// Turns a failed coroutine's error into a message and a traceback. Arg 1 is
// the coroutine. __tostring is not called: the process is dying, and running
// its code again could loop.
int describe_failure(lua_State* L) {
  lua_State* co = lua_tothread(L, 1);
  const char* msg;
  if (lua_type(co, -1) == LUA_TSTRING || lua_type(co, -1) == LUA_TNUMBER) {
    lua_pushvalue(co, -1);
    lua_xmove(co, L, 1);
    msg = lua_tostring(L, -1);
  } else {
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(co, -1));
  }
  luaL_traceback(L, co, nullptr, 0);
  (void)msg;
  return 2;
}

}  // namespace

void Kernel::install_hook(lua_State* L, int count) { lua_sethook(L, preempt_hook, LUA_MASKCOUNT, count); }

void Kernel::make_ready(Process& p) {
  if (!p.alive() || p.state == ProcState::Stopped) return;
  if (p.state != ProcState::Running) p.state = ProcState::Ready;
  if (!p.in_run_queue && p.state == ProcState::Ready) {
    p.in_run_queue = true;
    run_queue_.push_back(p.pid);
  }
}

// The next process in the run queue that is still ready (entries for
// processes that blocked, stopped or ended meanwhile are dropped), or null.
Process* Kernel::next_ready() {
  while (!run_queue_.empty()) {
    int pid = run_queue_.front();
    run_queue_.pop_front();
    Process* p = find(pid);
    if (!p) continue;
    p->in_run_queue = false;
    if (p->state == ProcState::Ready) return p;
  }
  return nullptr;
}

void Kernel::run_for(double budget) {
  double end = now() + budget;
  if (paused_) {
    fire_due_timers();
    return;
  }
  do {
    fire_due_timers();
    Process* p = next_ready();
    if (!p) break;
    run_slice(*p);
  } while (now() < end);
}

int Kernel::step() {
  fire_due_timers();
  Process* p = next_ready();
  if (!p) return 0;
  int pid = p->pid;
  run_slice(*p);
  return pid;
}

bool Kernel::push_handler_frame(Process& p, int sig) {
  Frame f;
  lua_pushcfunction(p.L, setup_handler);
  lua_pushlightuserdata(p.L, &f);
  lua_pushinteger(p.L, sig);
  if (lua_pcall(p.L, 2, 0, 0) != LUA_OK) {
    lua_pop(p.L, 1);
    return false;
  }
  p.frames.push_back(f);
  p.in_handler |= signal_bit(sig);
  trace_.record(TraceKind::SignalHandled, now(), 0, p.pid, find_signal(sig)->name);
  return true;
}

void Kernel::run_slice(Process& p) {
  // Handlers run before the main coroutine resumes. A handler removed since
  // the signal was sent gets the default action instead.
  while (int sig = p.next_deliverable()) {
    p.pending &= ~signal_bit(sig);
    if (!p.has_handler(sig)) {
      apply_default(p, sig, 0);
      if (!p.alive() || p.state == ProcState::Stopped) return;
      continue;
    }
    if (!push_handler_frame(p, sig)) {
      finalize_exit(p, 1, "not enough memory to run a signal handler", {});
      return;
    }
    break;  // one handler at a time; others wait until it ends
  }
  p.attention = p.pending != 0 && p.next_deliverable() != 0;
  current_ = &p;
  p.state = ProcState::Running;
  Frame& f = p.top();
  double start = now();
  p.resumed_at = start;
  p.slice_deadline = start + config_.slice;
  int nargs = f.nargs;
  f.nargs = 0;
  int nres = 0;
  int status = lua_resume(f.co, nullptr, nargs, &nres);
  p.cpu_time += now() - start;
  current_ = nullptr;
  after_resume(p, status, nres);
}

void Kernel::after_resume(Process& p, int status, int nres) {
  Frame& f = p.top();
  p.kernel_yield = false;
  if (p.exit_requested) {
    finalize_exit(p, *p.exit_requested, {}, std::move(p.traceback), p.exit_signal);
    return;
  }
  if (status == LUA_YIELD) {
    lua_pop(f.co, nres);
  } else if (status == LUA_OK) {
    if (f.signal == 0) {
      finalize_exit(p, 0, {}, {});
      return;
    }
    // A handler returned: drop its frame; the frame below decides.
    p.in_handler &= ~signal_bit(f.signal);
    luaL_unref(p.L, LUA_REGISTRYINDEX, f.ref);
    p.frames.pop_back();
  } else {
    // An uncaught error ends the process with status 1. Give the post-mortem
    // a little room above the quota: "not enough memory" is a common cause.
    p.memory.limit += 256 * 1024;
    std::string message = "unknown error", traceback;
    lua_pushcfunction(p.L, describe_failure);
    lua_pushthread(f.co);
    lua_xmove(f.co, p.L, 1);
    if (lua_pcall(p.L, 1, 2, 0) == LUA_OK) {
      message = lua_tostring(p.L, -2);
      traceback = lua_tostring(p.L, -1);
      lua_pop(p.L, 2);
    } else {
      lua_pop(p.L, 1);
    }
    console_->write_error(p.pid, message + "\n" + traceback);
    finalize_exit(p, 1, message, traceback);
    return;
  }
  if (p.stop_requested) {
    p.stop_requested = false;
    stop_process(p, p.at_breakpoint);
    return;
  }
  settle(p);
}

// Puts a process that just ran, or was just continued, where it belongs:
// ready if it can make progress, otherwise blocked until its wait is met.
void Kernel::settle(Process& p) {
  p.state = ProcState::Blocked;
  const Wait& w = p.top().wait;
  if (p.next_deliverable() || !w.active() || now() >= w.deadline || wait_satisfied(p, w)) {
    make_ready(p);
    return;
  }
  schedule_wait_deadline(p);
}

bool Kernel::wait_satisfied(const Process& p, const Wait& w) const {
  switch (w.kind) {
    case WaitKind::None: return true;
    case WaitKind::Remote: return p.mailbox.find(w.remote) >= 0;
    case WaitKind::Event:
      // Any system event (pullEvent discards those that don't match, as CC
      // does), or a remote event the filter accepts; other remote events stay
      // queued for receiveEvent and must not wake the process.
      for (const Event& e : p.mailbox)
        if (e.kind == EventKind::System || w.event.empty() || w.event == "remote_event") return true;
      return false;
    case WaitKind::Sleep: return false;
    case WaitKind::Child: {
      const Process* c = find(w.child);
      return !c || !c->alive();
    }
  }
  return true;
}

void Kernel::wake_if_satisfied(Process& p) {
  if (p.state != ProcState::Blocked) return;
  const Wait& w = p.top().wait;
  if (!w.active() || now() >= w.deadline || wait_satisfied(p, w)) make_ready(p);
}

Wait& Kernel::begin_wait(Process& p, WaitKind kind, double timeout) {
  Wait& w = p.top().wait;
  w = Wait{};
  w.kind = kind;
  w.gen = ++p.wait_gen;
  if (timeout >= 0) w.deadline = now() + timeout;
  return w;
}

}  // namespace moonbox
