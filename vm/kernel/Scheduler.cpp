// The scheduler: the run queue, time slices, preemption, timers, and what
// happens when a process's coroutine yields, returns or fails.
#include "vm/kernel/Scheduler.h"

#include <algorithm>
#include <limits>

#include <pthread.h>

#include <lua.hpp>

#include "vm/kernel/Kernel.h"

namespace moonbox {

namespace {

// The error object process.exit() raises where it cannot yield; pcall may
// catch it, but the hook raises it again until the process is gone.
char exit_marker;

// The process whose slice runs on this thread.
thread_local Process* t_current = nullptr;
// The first process (of t_current's kernel) that this slice woke, or 0.
thread_local int t_woken = 0;

// Takes the hook off coroutine L once preemption is done with it, or gives
// it back the program's own (debug.sethook).
void rest_hook(lua_State* L, Process& p) {
  if (!p.program_hooks()) {
    lua_sethook(L, nullptr, 0, 0);
    return;
  }
  int count = 0;
  int mask = p.kernel().config().program_hook_mask(L, &count);
  Scheduler::set_program_hook(p, L, mask, count);
}

// Runs the program's own hook for an event it asked for.
void program_event(lua_State* L, Process& p, lua_Debug* ar) {
  if (p.program_hooks()) p.kernel().config().program_hook(L, ar);
  else lua_sethook(L, nullptr, 0, 0);  // inherited from a coroutine whose hook is gone
}

// Installed on the running coroutine by the Preempter when the slice's
// time is up (or the process needs the kernel at once), never before: with
// a hook, every instruction is slower. It removes itself once it has done
// its work, so that the next slice runs at full speed. A program's own hook
// is this one too, with the events the program asked for: preemption only
// adds a count of 1 until it is done.
void preempt_hook(lua_State* L, lua_Debug* ar) {
  Process& p = Process::from(L);
  if (ar->event != LUA_HOOKCOUNT) {  // preemption only asks for counts
    program_event(L, p, ar);
    return;
  }
  // Other workers set these under the kernel lock while p runs.
  KernelLock& lock = p.kernel().lock();
  lock.enter();
  bool closing = p.closing(), attention = p.needs_attention(), exit_pending = p.exit_pending();
  lock.leave();
  if (closing) luaL_error(L, "process is exiting");
  if (!attention && p.kernel().now() < p.slice_deadline()) {
    rest_hook(L, p);  // left over from an earlier slice, or the program's count
    if (p.program_hooks()) program_event(L, p, ar);
    return;
  }
  if (lua_isyieldable(L)) {
    rest_hook(L, p);
    p.mark_kernel_yield();
    p.mark_preempted();  // read by its worker once the slice is over
    lua_yield(L, 0);  // a hook yield: must be the hook's last call
    return;
  }
  // Inside table.sort, gsub callbacks, metamethods...: no yield is possible;
  // keep looking, less often, until the code below can yield or the limit
  // below is reached.
  lua_sethook(L, preempt_hook, LUA_MASKCOUNT, p.kernel().config().hook_count);
  if (exit_pending) {
    lua_pushlightuserdata(L, &exit_marker);
    lua_error(L);
  }
  // The budget there is wall time since the process was last resumed.
  if (p.too_long_without_yielding()) luaL_error(L, "too long without yielding");
}

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

// A helper thread: one of the workers when there are several (the host's
// thread then runs no Lua).
struct Scheduler::Helper {
  explicit Helper(const Clock& clock) : preempter(clock, preempt_hook) {}
  Preempter preempter;
  std::thread thread;
};

Scheduler::Scheduler(Kernel& kernel) : kernel_(kernel), preempter_(kernel.clock_, preempt_hook) {}

Scheduler::~Scheduler() { set_workers(1); }

Process* Scheduler::current() const { return t_current; }

void Scheduler::set_workers(int n) {
  n = std::max(n, 1);
  KernelLock& lock = kernel_.lock_;
  if (!helpers_.empty()) {
    lock.enter();
    quitting_ = true;
    lock.leave();
    work_.notify_all();
    for (auto& h : helpers_) h->thread.join();
    helpers_.clear();
    quitting_ = false;
  }
  lock.set_enabled(n > 1);
  for (int i = 0; n > 1 && i < n; i++) {
    helpers_.push_back(std::make_unique<Helper>(kernel_.clock_));
    Helper& h = *helpers_.back();
    h.thread = std::thread([this, &h] { helper_main(h); });
  }
}

void Scheduler::wait_until_back(int pid) {
  KernelLock& lock = kernel_.lock_;
  if (!lock.enabled()) return;
  Process* self = current();
  if (self) self->in_kernel_wait_ = true;
  double deadline = kernel_.now() + 0.1;
  for (;;) {
    Process* target = kernel_.find(pid);
    if (!target || target->state_ != ProcState::Running || target->in_kernel_wait_) break;
    double left = deadline - kernel_.now();
    if (left <= 0) break;
    waiting_back_++;
    lock.wait(back_, left);
    waiting_back_--;
  }
  if (self) self->in_kernel_wait_ = false;
}

// Wakes a helper that waits for work.
void Scheduler::wake_one() {
  if (waiting_ > 0) work_.notify_one();
}

void Scheduler::give_turn(Process& p) { p.giving_turn_ = true; }

void Scheduler::poke(Process& p) {
  p.attention_ = true;
  if (p.preempter_) p.preempter_->poke();  // when it runs, here or on another worker
}

void Scheduler::switched_to(Process& p, lua_State* running) {
  if (p.preempter_) p.preempter_->switch_to(running);
}

void Scheduler::install_hook(lua_State* L, int count) { lua_sethook(L, preempt_hook, LUA_MASKCOUNT, count); }

void Scheduler::set_program_hook(Process& p, lua_State* L, int mask, int count) {
  if (p.preempter_) p.preempter_->set_hook(L, preempt_hook, mask, count);
  else lua_sethook(L, mask ? preempt_hook : nullptr, mask, count);
}

void Scheduler::make_ready(Process& p) {
  if (!p.alive() || p.state_ == ProcState::Stopped) return;
  if (p.state_ == ProcState::Blocked && kernel_.span_listener_)
    kernel_.span_listener_(p.pid(), p.blocked_since_, kernel_.now(), false);
  if (p.state_ != ProcState::Running) p.state_ = ProcState::Ready;
  if (!p.in_run_queue_ && p.state_ == ProcState::Ready) {
    p.in_run_queue_ = true;
    run_queue_.push_back(p.pid());
    if (!helpers_.empty()) p.ready_since_ = kernel_.now();
    // A waiting worker is woken when nothing runs, or when this process is
    // busy (its slice ran out): a message's receiver runs next on its
    // sender's worker, which is about to block, with no thread switch and no
    // fight over the kernel lock. Not for every process that queues behind
    // another: processes that mostly exchange messages (a service and its
    // clients) spend much of their time in the kernel, and spread over two
    // workers they only fought over its lock (fan-in on 2 workers was 2.5x
    // slower than on one). One left waiting for a slice is still taken by
    // a worker that looks by itself (serve).
    if (batch_open_ && (in_flight_ == 0 || p.preempted_)) wake_one();
  }
}

// The next process in the run queue that is still ready (entries for
// processes that blocked, stopped or ended meanwhile are dropped), or null.
Process* Scheduler::next_ready() {
  for (std::size_t i = 0; i < run_queue_.size();) {
    Process* p = kernel_.find(run_queue_[i]);
    bool ready = p && p->state_ == ProcState::Ready;
    if (ready && !may_run(*p)) {
      i++;  // it gave its turn: the processes behind it may run meanwhile
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

void Scheduler::run_for(double budget) {
  double end = kernel_.now() + budget;
  if (paused_) {
    fire_due_timers();
    return;
  }
  if (!helpers_.empty()) {
    run_batch(end);
    return;
  }
  do {
    fire_due_timers();
    Process* p = next_ready();
    if (!p) break;
    run_chain(p, preempter_);
  } while (kernel_.fact_time() < end);  // read at the end of the slice
}

// A batch on several workers: the helpers run processes until the budget is
// spent or nothing can run, while the host's thread fires timers; then the
// host closes the batch and waits for the slices still running. After that
// no Lua runs until the next batch.
void Scheduler::run_batch(double end) {
  KernelLock& lock = kernel_.lock_;
  lock.enter();
  batch_end_ = end;
  batch_open_ = true;
  if (!run_queue_.empty()) work_.notify_all();
  // The batch's time: the host fires timers, and ends the batch early when
  // nothing runs and nothing is ready.
  for (;;) {
    double now = kernel_.now();
    fire_due_timers();
    if (now >= batch_end_ || (in_flight_ == 0 && run_queue_.empty())) break;
    double until = std::min(batch_end_, next_wakeup());
    host_waiting_ = true;
    lock.wait(host_wake_, until - now);
    host_waiting_ = false;
  }
  // Its end: no new slice starts, and the host waits for those running.
  // While a slice is stuck in a C call, the kernel publishes its table for
  // the debugger every kBusyCheck, and turns go round: the batch opens
  // again for this computer's other processes; then it closes, and once
  // only the stuck slices are left the other computers have a turn (this
  // thread keeps the lock, so nothing of this computer runs meanwhile but
  // the C call, which touches no kernel object).
  batch_open_ = false;
  while (in_flight_ > 0) {
    lock.wait(drained_, kBusyCheck);
    double now = kernel_.now();
    const RunningSlice* stuck = stuck_slice(now);
    if (!stuck) {
      batch_open_ = false;
      continue;
    }
    kernel_.publish_busy(stuck->pid, now - stuck->start);
    if (batch_open_) {
      batch_open_ = false;  // their turn is over: let their slices end
      continue;
    }
    if (stuck_turn_ && in_flight_ == stuck_slices(now)) give_stuck_turn();
    batch_end_ = kernel_.now() + kBusyCheck;
    batch_open_ = true;
    work_.notify_all();
  }
  lock.leave();
}

void Scheduler::give_stuck_turn() {
  KernelLock::OtherKernel other;
  stuck_turn_(kBusyCheck);
}

namespace {
double thread_cpu(clockid_t clock) {
  timespec t{};
  if (clock_gettime(clock, &t) != 0) return 0;
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}
}  // namespace

bool Scheduler::is_stuck(RunningSlice& r, double now) {
  if (now - r.start <= kernel_.config().slice + kStuckAfter) return false;
  double cpu = thread_cpu(r.cpu_clock);
  if (r.suspect_cpu < 0) {
    r.suspect_cpu = cpu;  // first seen: judged at the next check
    return false;
  }
  return cpu - r.suspect_cpu >= kBusyCheck / 2;
}

// How many running slices are stuck (see is_stuck).
int Scheduler::stuck_slices(double now) {
  int n = 0;
  for (RunningSlice& r : running_)
    if (is_stuck(r, now)) n++;
  return n;
}

// The stuck running slice that began first: its process is inside a C call
// the hook cannot end.
Scheduler::RunningSlice* Scheduler::stuck_slice(double now) {
  RunningSlice* worst = nullptr;
  for (RunningSlice& r : running_)
    if (is_stuck(r, now) && (!worst || r.start < worst->start)) worst = &r;
  return worst;
}

// A helper's part of a batch, under the kernel lock: run ready processes;
// with none, wait until there is one, a timer is due, or the batch ends.
// Returns when the batch is closed.
void Scheduler::serve(Preempter& preempter) {
  KernelLock& lock = kernel_.lock_;
  bool looking = false;  // a helper woke by itself, not because it was asked
  while (batch_open_) {
    fire_due_timers();
    bool over = kernel_.fact_time() >= batch_end_;
    // A helper that looks by itself takes only a process left waiting for a
    // slice's time: one that a busy worker will soon run itself (the
    // receiver of a stream) stays there, and no lock is fought over.
    if (!over && !(looking && !left_waiting())) {
      if (Process* p = next_ready()) {
        looking = false;  // it has work: it keeps its process, as any worker does
        in_flight_++;
        run_chain(p, preempter);
        in_flight_--;
        // Nothing runs and nothing is ready: the host may end the batch early.
        if (in_flight_ == 0 && run_queue_.empty() && host_waiting_) host_wake_.notify_one();
        if (!batch_open_) drained_.notify_all();  // the host waits for the last, or for all but a stuck one
        continue;
      }
    }
    // A waiting helper looks again after a slice's time: a process readied
    // while every other worker was busy is not left waiting longer.
    // Once the batch's time is spent, it waits for the host to close the
    // batch (or to open it again for a stuck slice), without spinning.
    double now = kernel_.now();
    double until = now + kernel_.config().slice;
    if (!over) until = std::min({until, batch_end_, next_wakeup()});
    waiting_++;
    looking = lock.wait(work_, until - now);
    waiting_--;
    kernel_.now();  // the time after the wait, for the timers and the next slice
  }
}

// The first ready process in the queue is busy (its last slice ran out) or
// has waited there for a slice or more.
bool Scheduler::left_waiting() const {
  double now = kernel_.now();
  for (int pid : run_queue_)
    if (const Process* p = kernel_.find(pid); p && p->state_ == ProcState::Ready)
      return p->preempted_ || now - p->ready_since_ >= kernel_.config().slice;
  return false;
}

void Scheduler::helper_main(Helper& h) {
  KernelLock& lock = kernel_.lock_;
  lock.enter();
  while (!quitting_) {
    if (batch_open_) {
      serve(h.preempter);
      continue;
    }
    waiting_++;  // make_ready wakes it when a process is left waiting
    lock.wait(work_);
    waiting_--;
  }
  lock.leave();
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
  running_.push_back({seq, p.pid(), start, cpu_clock});
  preempter.arm(f.co, p.slice_deadline_);
  kernel_.lock_.before_lua();
  int status = lua_resume(f.co, nullptr, nargs, &nres);
  kernel_.lock_.after_lua();
  preempter.disarm();
  double end = kernel_.now();
  p.cpu_time_ += end - start;
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
    if (p.giving_turn_ && !helpers_.empty() && !p.in_run_queue_ && !p.turn_after_) {
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

// ---------------------------------------------------------------- timers

double Scheduler::next_wakeup() const {
  return timers_.empty() ? std::numeric_limits<double>::infinity() : timers_.top().deadline;
}

Result<int> Scheduler::start_timer(Process& p, double seconds, TimerKind kind) {
  if (p.timers_ >= kernel_.config().timers_per_process) return Result<int>::failure(Err::TooManyTimers);
  p.timers_++;
  auto k = static_cast<std::size_t>(kind);
  auto id = ++next_timer_id_[k];
  os_timers_[k][id] = p.pid();
  timers_.push({kernel_.now() + (seconds > 0 ? seconds : 0), ++timer_seq_, kind, p.pid(), id});
  return Result<int>::success(static_cast<int>(id));
}

void Scheduler::cancel_timer(Process& p, std::int64_t id, TimerKind kind) {
  if (id <= 0) return;
  auto& live = os_timers_[static_cast<std::size_t>(kind)];
  auto it = live.find(static_cast<std::uint64_t>(id));
  if (it != live.end() && it->second == p.pid()) {
    live.erase(it);
    p.timers_--;
  }
}

void Scheduler::forget_timers(Process& p) {
  if (p.timers_ == 0) return;  // most processes have none: skip the scan
  for (auto& live : os_timers_)
    for (auto it = live.begin(); it != live.end();)
      it = it->second == p.pid() ? live.erase(it) : std::next(it);
  p.timers_ = 0;
}

void Scheduler::schedule_deadline(Process& p) {
  const Blocker& b = p.top().blocker;
  if (b.deadline() < Blocker::kNever)
    timers_.push({b.deadline(), ++timer_seq_, std::nullopt, p.pid(), b.gen()});
}

// Uses the time as last read (at the end of a slice, or when a batch or a
// worker's wait began).
void Scheduler::fire_due_timers() {
  double t = kernel_.fact_time();
  while (!timers_.empty() && timers_.top().deadline <= t) {
    TimerEntry e = timers_.top();
    timers_.pop();
    Process* p = kernel_.find(e.pid);
    if (!p || !p->alive()) continue;
    if (e.os_timer) {
      auto& live = os_timers_[static_cast<std::size_t>(*e.os_timer)];
      auto it = live.find(e.id);
      if (it == live.end()) continue;  // cancelled
      live.erase(it);
      p->timers_--;
      std::string payload;
      MessageWriter(payload).integer(static_cast<std::int64_t>(e.id)).finish();
      kernel_.post_event(e.pid, *e.os_timer == TimerKind::Alarm ? "alarm" : "timer", payload);
    } else if (p->state_ == ProcState::Blocked && p->top().blocker.gen() == e.id) {
      make_ready(*p);
    }
  }
}

}  // namespace moonbox
