// The scheduler: the run queue, time slices, and what happens when a
// process's coroutine yields, returns or fails. The hook that ends a slice is
// in Hooks.cpp, the helper threads in Workers.cpp, the timers in Timers.cpp.
#include "vm/kernel/Scheduler.h"

#include <algorithm>
#include <limits>

#include <lua.hpp>

#include "vm/kernel/Kernel.h"

namespace moonbox {

namespace {

// The process whose slice runs on this thread.
thread_local Process* t_current = nullptr;
// The first process (of t_current's kernel) that this slice woke, or 0.
thread_local int t_woken = 0;

// Creates a handler coroutine: arg 1 is the Frame to fill in, arg 2 the
// signal, arg 3 the handler's registry ref. Runs in a protected call on the
// process's main thread.
int setup_handler(lua_State* L) {
  auto* f = static_cast<Frame*>(lua_touserdata(L, 1));
  auto sig = static_cast<int>(lua_tointeger(L, 2));
  auto ref = static_cast<int>(lua_tointeger(L, 3));
  lua_State* co = lua_newthread(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  lua_xmove(L, co, 1);
  lua_pushinteger(co, sig);
  f->co = co;
  f->nargs = 1;
  f->signal = sig;
  f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

// Pushes the event at mailbox index arg 2 (of the process in arg 1) as
// os.pullEvent shows it, and removes it. Runs in a protected call on the
// process's main thread: decoding may run out of memory.
int push_event(lua_State* L) {
  auto* p = static_cast<Process*>(lua_touserdata(L, 1));
  auto i = static_cast<std::size_t>(lua_tointeger(L, 2));
  lua_settop(L, 0);
  return p->kernel().take_event(L, *p, i, EventView::Os);
}

// The events a program asks for when it reads the terminal.
bool is_input_event(std::string_view name) {
  for (std::string_view input : {"char", "key", "key_up", "paste", "mouse_click", "mouse_up", "mouse_drag",
                                 "mouse_scroll"})
    if (name == input) return true;
  return false;
}

// Turns a failed coroutine's error into a message and a traceback. Arg 1 is
// the coroutine. __tostring is not called: the process is dying, and running
// its code again could loop.
int describe_failure(lua_State* L) {
  lua_State* co = lua_tothread(L, 1);
  if (lua_type(co, -1) == LUA_TSTRING || lua_type(co, -1) == LUA_TNUMBER) {
    lua_pushvalue(co, -1);
    lua_xmove(co, L, 1);
    lua_tostring(L, -1);
  } else {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(co, -1));
  }
  luaL_traceback(L, co, nullptr, 0);
  return 2;
}

}  // namespace

Process* Scheduler::current() const { return t_current; }

void Scheduler::give_turn(Process& p) { p.giving_turn_ = true; }

void Scheduler::poke(Process& p) {
  p.attention_ = true;
  if (p.preempter_) p.preempter_->poke();  // when it runs, here or on another worker
}

void Scheduler::switched_to(Process& p, lua_State* running) {
  if (p.preempter_) p.preempter_->switch_to(running);
  ensure_line_hook(p, running);
}

void Scheduler::make_ready(Process& p) {
  if (!p.alive() || p.state_ == ProcState::Stopped) return;
  if (p.state_ == ProcState::Blocked && kernel_.span_listener_)
    kernel_.span_listener_(p.pid(), p.blocked_since_, kernel_.now(), false);
  if (p.state_ != ProcState::Running) p.state_ = ProcState::Ready;
  if (!p.in_run_queue_ && p.state_ == ProcState::Ready) {
    p.in_run_queue_ = true;
    run_queue_.push_back(p.pid());
    // (the last reading: a clock read a message cost 1.7% of ping-pong)
    if (pool_) p.ready_since_ = kernel_.fact_time();
    // A waiting worker is woken when nothing runs, or when this process is
    // busy computing (see should_spread): a message's receiver runs next on
    // its sender's worker, which is about to block, with no thread switch and
    // no fight over the kernel lock. Not for every process that queues behind
    // another: processes that mostly exchange messages (a service and its
    // clients) spend much of their time in the kernel, and spread over two
    // workers they only fought over its lock (fan-in on 2 workers was 2.5x
    // slower than on one). A worker that looks by itself (every kLookEvery)
    // still takes one whose home is not running (serve, belongs_elsewhere).
    if (batch_open_ && (in_flight_ == 0 || should_spread(p))) wake_one();
  }
}

// p would otherwise wait for the processor: its last slice ran out, and it
// is not exchanging messages. A busy sender or receiver (a stream's two
// ends) stays on the worker it shares with its peer: on two cores they
// fought over the computer's lock and the receiver's quota (the stream on 2
// workers 0.79-0.90x of 1 worker while they were spread).
bool Scheduler::should_spread(const Process& p) const { return p.busy_computing(); }

// The next process in the run queue that is still ready and may run on
// `worker` (entries for processes that blocked, stopped or ended meanwhile
// are dropped), or null.
Process* Scheduler::next_ready(int worker) {
  for (std::size_t i = 0; i < run_queue_.size();) {
    Process* p = kernel_.find(run_queue_[i]);
    bool ready = p && p->state_ == ProcState::Ready;
    if (ready && (!may_run(*p) || belongs_elsewhere(*p, worker))) {
      i++;  // it gave its turn, or waits for its worker: the processes behind it may run meanwhile
      continue;
    }
    dequeue(i, p);
    if (ready) return p;
  }
  return nullptr;
}

// Takes entry i (process p, or null for one that is gone) out of the queue.
void Scheduler::dequeue(std::size_t i, Process* p) {
  if (i == 0) run_queue_.pop_front();
  else run_queue_.erase(run_queue_.begin() + static_cast<std::ptrdiff_t>(i));
  if (!p) return;
  p->in_run_queue_ = false;
  if (p->turn_after_) {
    p->turn_after_ = 0;
    turn_waiters_--;
  }
}

// A direct switch. When a process wakes another (a message it was waiting
// for) and then waits itself, the woken one runs at once, when it is next in
// the run queue anyway, or when the process that is next is busy (its last
// slice ran out): messages between two processes then no longer wait for
// every busy process's full slice in between. Such a chain of switches ends
// once a slice's time has passed since it began, so the pair together has
// no more of the processor than one slice each round; its next wake-up then
// goes through the queue. (Each process in the chain still has a slice of
// its own for the hook: a shorter one would end with a preemption, and a
// preempted process counts as busy, which would send it to another worker.)
// Behind processes that were woken too (a service's clients), a woken
// process keeps its place: they run briefly, and the service then answers
// them all in one slice.
void Scheduler::run_chain(Process* p, Preempter& preempter) {
  double chain_end = 0;
  for (;;) {
    t_woken = 0;
    run_slice(*p, preempter);
    if (chain_end == 0) chain_end = p->resumed_at_ + kernel_.config().slice;
    Process* next = take_handoff(*p, chain_end);
    if (!next) return;
    p = next;
    direct_switches_++;
  }
}

Process* Scheduler::take_handoff(const Process& p, double chain_end) {
  int pid = t_woken;
  t_woken = 0;
  if (!pid || p.state_ != ProcState::Blocked || kernel_.fact_time() >= chain_end) return nullptr;
  Process* next = kernel_.find(pid);
  if (!next || next->state_ != ProcState::Ready || !next->in_run_queue_ || !may_run(*next)) return nullptr;
  if (run_queue_.front() != pid) {
    const Process* first = kernel_.find(run_queue_.front());
    if (!first || first->state_ != ProcState::Ready || !first->preempted_) return nullptr;
  }
  for (std::size_t i = run_queue_.size(); i-- > 0;) {  // it joined the queue lately: from the back
    if (run_queue_[i] != pid) continue;
    dequeue(i, next);
    return next;
  }
  return nullptr;
}

// A process that gave its turn waits for every slice numbered before
// turn_after_ to end.
bool Scheduler::may_run(const Process& p) const {
  if (!p.turn_after_) return true;
  for (const RunningSlice& r : running_)
    if (r.seq < p.turn_after_) return false;
  return true;
}

int Scheduler::step() {
  KernelLock& lock = kernel_.lock_;
  lock.enter();
  kernel_.now();
  fire_due_timers();
  Process* p = next_ready();
  int pid = p ? p->pid() : 0;
  if (p) run_slice(*p, preempter_);
  lock.leave();
  return pid;
}

bool Scheduler::push_handler_frame(Process& p, int sig) {
  Frame f;
  lua_pushcfunction(p.L_, setup_handler);
  lua_pushlightuserdata(p.L_, &f);
  lua_pushinteger(p.L_, sig);
  lua_pushinteger(p.L_, p.handlers_[sig]);
  if (lua_pcall(p.L_, 3, 0, 0) != LUA_OK) {
    lua_pop(p.L_, 1);
    return false;
  }
  p.frames_.push_back(f);
  p.in_handler_ |= signal_bit(sig);
  kernel_.trace_.record(TraceKind::SignalHandled, kernel_.fact_time(), 0, p.pid(), find_signal(sig)->name);
  return true;
}

void Scheduler::run_slice(Process& p, Preempter& preempter) {
  // Handlers run before the main coroutine resumes. A handler removed since
  // the signal was sent gets the default action instead.
  while (int sig = p.next_deliverable()) {
    p.pending_ &= ~signal_bit(sig);
    if (!p.has_handler(sig)) {
      kernel_.apply_default(p, sig, 0);
      if (!p.alive() || p.state_ == ProcState::Stopped) return;
      continue;
    }
    if (!push_handler_frame(p, sig)) {
      kernel_.finalize_exit(p, 1, "not enough memory to run a signal handler", {});
      return;
    }
    break;  // one handler at a time; others wait until it ends
  }
  Frame& f = p.top();
  // A frame goes on only when what it waits for is there (a handler that ran
  // meanwhile may have taken it): its binding then just completes the call.
  // (satisfied first: it costs no clock reading, and only an EventBlocker's
  // has an effect, discarding what it skips, and that one has no deadline)
  if (f.blocker.active() && !f.blocker.satisfied(p) && !f.blocker.timed_out(kernel_.now())) {
    settle(p);
    return;
  }
  if (f.blocker.as<EventBlocker>() && !resume_with_event(p, f)) return;
  p.attention_ = p.pending_ != 0 && p.next_deliverable() != 0;
  t_current = &p;
  p.preempter_ = &preempter;
  p.state_ = ProcState::Running;
  p.home_ = t_worker_;
  // The clock as read at the end of the last slice (or when the batch or
  // the wait before it began): one reading a slice, not two.
  double start = kernel_.fact_time();
  p.resumed_at_ = start;
  p.slice_deadline_ = start + kernel_.config().slice;
  int nargs = f.nargs;
  f.nargs = 0;
  p.preempted_ = false;
  int nres = 0;
  std::uint64_t seq = ++slice_seq_;
  clockid_t cpu_clock{};
  pthread_getcpuclockid(pthread_self(), &cpu_clock);  // no system call: read only if the slice overruns
  running_.push_back({seq, p.pid(), start, cpu_clock, &preempter});
  preempter.arm(f.co, p.slice_deadline_, &kernel_.clock_);
  ensure_line_hook(p, f.co);
  kernel_.lock_.before_lua();
  p.memory_.begin_slice();
  if (p.profiling_) p.profile_->slice_began();
  int status = lua_resume(f.co, nullptr, nargs, &nres);
  if (p.profile_) p.profile_->slice_ended();
  p.memory_.end_slice();
  kernel_.lock_.after_lua();
  preempter.disarm();
  double end = kernel_.now();
  p.cpu_time_ += end - start;
  p.exchanging_ = p.slice_messages_ >= kExchanging;
  p.slice_messages_ = 0;
  // Where the next batch starts: not where a busy process was spread to.
  if (!should_spread(p)) last_worker_ = t_worker_;
  if (kernel_.span_listener_) kernel_.span_listener_(p.pid(), start, end, true);
  t_current = nullptr;
  p.preempter_ = nullptr;
  // Back in the kernel: signals and stops now act on it at once.
  p.state_ = ProcState::Ready;
  if (waiting_back_ > 0) back_.notify_all();
  std::erase_if(running_, [seq](const RunningSlice& r) { return r.seq == seq; });
  if (turn_waiters_ > 0 && waiting_ > 0) work_.notify_all();  // a turn may have come
  if (p.tty_ != 0) kernel_.note_terminal_output(p);
  after_resume(p, status, nres);
}

// The frame yielded to wait for an event and one it accepts is queued: it
// becomes the values coroutine.yield returns. False when the process ended
// (no memory to decode the event).
bool Scheduler::resume_with_event(Process& p, Frame& f) {
  const EventBlocker& b = *f.blocker.as<EventBlocker>();
  std::size_t i = 0;
  while (!b.accepts(p.mailbox_.at(i))) i++;
  f.blocker = Blocker{};
  int top = lua_gettop(p.L_);
  lua_pushcfunction(p.L_, push_event);
  lua_pushlightuserdata(p.L_, &p);
  lua_pushinteger(p.L_, static_cast<lua_Integer>(i));
  if (lua_pcall(p.L_, 2, LUA_MULTRET, 0) != LUA_OK) {
    lua_settop(p.L_, top);
    kernel_.finalize_exit(p, 1, "not enough memory", {});
    return false;
  }
  int n = lua_gettop(p.L_) - top;
  if (!lua_checkstack(f.co, n)) {
    lua_settop(p.L_, top);
    kernel_.finalize_exit(p, 1, "not enough memory", {});
    return false;
  }
  lua_xmove(p.L_, f.co, n);
  f.nargs = n;
  return true;
}

// The frame's coroutine yielded by itself (coroutine.yield, os.pullEventRaw):
// in CC's event model that is a wait for the next event its filter (the
// first value, when it is a string) accepts.
void Scheduler::wait_for_event(Process& p, Frame& f, int nres) {
  std::string filter;
  if (nres > 0 && lua_type(f.co, -nres) == LUA_TSTRING) filter = lua_tostring(f.co, -nres);
  lua_pop(f.co, nres);
  // A background process that waits for terminal input gets SIGTTIN (which
  // stops it unless it handles the signal), as on Unix.
  bool ttin = is_input_event(filter);
  f.blocker = Blocker(EventBlocker{std::move(filter)}, Blocker::kNever, ++p.block_gen_);
  if (ttin) kernel_.stop_for_input(p);
}

void Scheduler::after_resume(Process& p, int status, int nres) {
  Frame& f = p.top();
  bool kernel_yield = p.kernel_yield_;
  p.kernel_yield_ = false;
  if (p.exit_requested_) {
    if (p.dump_pending_) p.traceback_ = kernel_.dump(p, 0, p.exit_signal_);
    kernel_.finalize_exit(p, *p.exit_requested_, {}, std::move(p.traceback_), p.exit_signal_);
    return;
  }
  if (status == LUA_YIELD && kernel_yield) {
    lua_pop(f.co, nres);
  } else if (status == LUA_YIELD) {
    wait_for_event(p, f, nres);
    if (!p.alive() || p.state_ == ProcState::Stopped) return;
  } else if (status == LUA_OK) {
    if (f.signal == 0) {
      kernel_.finalize_exit(p, 0, {}, {});
      return;
    }
    // A handler returned: drop its frame; the frame below decides.
    p.in_handler_ &= ~signal_bit(f.signal);
    luaL_unref(p.L_, LUA_REGISTRYINDEX, f.ref);
    p.frames_.pop_back();
  } else {
    // An uncaught error ends the process with status 1. Give the post-mortem
    // a little room above the quota: "not enough memory" is a common cause.
    p.memory_.limit += 256 * 1024;
    std::string message = "unknown error", traceback;
    lua_pushcfunction(p.L_, describe_failure);
    lua_pushthread(f.co);
    lua_xmove(f.co, p.L_, 1);
    if (lua_pcall(p.L_, 1, 2, 0) == LUA_OK) {
      message = lua_tostring(p.L_, -2);
      traceback = lua_tostring(p.L_, -1);
      lua_pop(p.L_, 2);
    } else {
      lua_pop(p.L_, 1);
    }
    // A debugger that asked for uncaught errors (DAP's exception
    // breakpoints) sees the process stopped before it dies, its errored
    // coroutine's stack intact; it ends when continued (Kernel::continue_process).
    if (kernel_.debugger().break_on_errors() && message != "Terminated") {
      p.pending_failure_ = {message, traceback};
      p.stopped_co_ = f.co;
      p.stop_reason_ = "exception";
      p.stop_text_ = message;
      p.stop_line_ = 0;
      kernel_.stop_process(p, true);
      return;
    }
    // CC's terminate error (Ctrl+T: os.pullEvent raises "Terminated" at
    // level 0) is the user's doing, not a bug: it is reported as CC reports
    // it, the word alone, without a traceback.
    kernel_.report_error(p, message == "Terminated" ? message + "\n" : message + "\n" + traceback);
    kernel_.finalize_exit(p, 1, message, traceback);
    return;
  }
  if (p.stop_requested_) {
    p.stop_requested_ = false;
    kernel_.stop_process(p, p.at_breakpoint_);
    return;
  }
  settle(p);
}

void Scheduler::settle(Process& p) {
  const Blocker& b = p.top().blocker;
  // (the time read at the end of the slice: a deadline it misses by a hair
  // is met by its timer)
  if (p.next_deliverable() || !b.active() || b.timed_out(kernel_.fact_time()) || b.satisfied(p)) {
    p.state_ = ProcState::Ready;
    if (p.giving_turn_ && pool_ && !p.in_run_queue_ && !p.turn_after_) {
      // Its turn comes after the slices running now and those of the
      // processes queued before it (numbered next, in queue order).
      std::uint64_t ahead = 0;
      for (int pid : run_queue_)
        if (const Process* q = kernel_.find(pid); q && q->state_ == ProcState::Ready) ahead++;
      p.turn_after_ = slice_seq_ + ahead + 1;
      turn_waiters_++;
    }
    p.giving_turn_ = false;
    make_ready(p);
    return;
  }
  p.giving_turn_ = false;
  if (p.state_ != ProcState::Blocked) p.blocked_since_ = kernel_.fact_time();
  p.state_ = ProcState::Blocked;
  schedule_deadline(p);
}

void Scheduler::wake_if_satisfied(Process& p) {
  if (p.state_ != ProcState::Blocked) return;
  const Blocker& b = p.top().blocker;
  if (!b.active() || b.timed_out(kernel_.fact_time()) || b.satisfied(p)) {
    make_ready(p);
    if (!t_woken && t_current && &t_current->kernel() == &kernel_ && p.state_ == ProcState::Ready) t_woken = p.pid();
  }
}

}  // namespace moonbox
