// Workers: the helper threads that run a computer's ready processes when
// there are several (each with its own preemption watchdog), the batches the
// host opens for them, and the detection of a slice stuck in a C call.
#include "vm/kernel/Scheduler.h"

#include <algorithm>

#include <pthread.h>

#include <lua.hpp>

#include "vm/kernel/Kernel.h"
#include "vm/kernel/Spin.h"

namespace moonbox {

// Placement, with several workers: p's home is the worker it last ran on,
// or the one of the last process that sent it a message. Another worker
// leaves it there while its home is running a slice, or while the process
// it last exchanged a message with runs on a third worker (a batch's
// helpers start apart), unless p is busy computing (should_spread) or has
// waited as long as a slice stuck in C would keep it: processes that
// exchange messages share a worker.
bool Scheduler::belongs_elsewhere(const Process& p, int worker) const {
  if (worker < 0 || should_spread(p) || kernel_.fact_time() - p.ready_since_ >= kStuckAfter) return false;
  // A worker runs a slice of this kernel's now.
  auto runs_elsewhere = [&](int home) {
    if (home < 0 || home == worker || home >= pool_->size()) return false;
    const Helper& h = pool_->helper(home);
    return h.serving.load(std::memory_order_relaxed) == this && h.running.load(std::memory_order_relaxed);
  };
  if (runs_elsewhere(p.home_)) return true;
  const Process* peer = p.peer_ ? kernel_.find(p.peer_) : nullptr;
  return peer && peer->state_ == ProcState::Running && runs_elsewhere(peer->home_);
}

Scheduler::Scheduler(Kernel& kernel) : kernel_(kernel), preempter_(kernel.clock_, preempt_hook) {}

Scheduler::~Scheduler() { set_workers(1); }

void Scheduler::set_workers(int n, std::shared_ptr<WorkerPool> shared) {
  n = std::max(n, 1);
  if (pool_) {
    pool_->forget(this);  // no pool thread serves it any more
    pool_.reset();
  }
  kernel_.lock_.set_enabled(n > 1);
  if (n > 1) pool_ = shared ? std::move(shared) : std::make_shared<WorkerPool>(n);
}

void Scheduler::serve_from_pool(Helper& h) {
  KernelLock& lock = kernel_.lock_;
  lock.enter();
  h.serving.store(this, std::memory_order_relaxed);
  serve(h);
  h.serving.store(nullptr, std::memory_order_relaxed);
  lock.leave();
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

// Wakes a helper that waits for work in this batch, or asks the pool for one.
void Scheduler::wake_one() {
  if (waiting_ > 0) work_.notify_one();
  else if (pool_ && batch_open_) pool_->request(this);
}

void Scheduler::run_for(double budget) {
  double end = kernel_.now() + budget;
  if (paused_) {
    fire_due_timers();
    return;
  }
  if (pool_) {
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
  batch_seq_++;
  waiting_ = 0;  // a helper still waiting in the last batch's serve leaves
  // One helper starts; the others join when a busy process would wait for
  // them (make_ready, or when they look by themselves). Woken all at once,
  // they split a stream's two ends at every batch. It is the one that ran
  // the last slice: the processes stay on its core, where their heaps are
  // warm in the cache (when whichever helper woke first took the batch, a
  // fan-in's 100 clients moved to the other core at a batch now and then,
  // and spread over both for a while: 0.21 s against 0.16 s).
  if (!run_queue_.empty()) pool_->request(this, last_worker_);
  // The batch's time: the host fires timers, and ends the batch early when
  // nothing runs and nothing is ready.
  bool spun = false;
  for (;;) {
    double now = kernel_.now();
    fire_due_timers();
    if (now >= batch_end_ || (in_flight_ == 0 && run_queue_.empty())) break;
    if (in_flight_ > 0 && !spun) {
      // Most batches of a world's computers are a slice or two long (a
      // shell's prompt, a boot step): the host watches for their end a
      // moment before it sleeps, instead of a sleep and a wake-up each.
      spun = true;
      batch_idle_.store(false, std::memory_order_relaxed);
      lock.leave();
      spin_until([&] { return batch_idle_.load(std::memory_order_acquire); }, kHostSpin);
      lock.enter();
      continue;
    }
    spun = false;
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
    if (waiting_ > 0) work_.notify_all();
    else if (!run_queue_.empty()) pool_->request(this);
  }
  // The helpers that wait in serve go back to the pool at once: the next
  // computer's batch needs them.
  if (waiting_ > 0) work_.notify_all();
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
  // Lua that its watchdog has not reached yet (the OS left the watchdog
  // thread waiting, on a loaded machine) is not in a C call: only a slice
  // whose preemption hook is installed and still runs on is.
  if (!r.preempter->fired()) return false;
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
void Scheduler::serve(Helper& h) {
  Preempter& preempter = h.preempter;
  KernelLock& lock = kernel_.lock_;
  const std::uint64_t batch = batch_seq_;
  while (batch_open_ && batch_seq_ == batch) {
    fire_due_timers();
    bool over = kernel_.fact_time() >= batch_end_;
    // It takes what is not at home on a running worker (next_ready): the
    // receiver of a stream, a service's clients stay where their peers run,
    // and no lock is fought over.
    if (!over) {
      if (Process* p = next_ready(h.index)) {
        in_flight_++;
        h.running.store(true, std::memory_order_relaxed);
        run_chain(p, preempter);
        h.running.store(false, std::memory_order_relaxed);
        in_flight_--;
        // Nothing runs and nothing is ready: the host may end the batch early.
        if (in_flight_ == 0 && run_queue_.empty()) {
          batch_idle_.store(true, std::memory_order_release);
          if (host_waiting_) host_wake_.notify_one();
        }
        if (!batch_open_) drained_.notify_all();  // the host waits for the last, or for all but a stuck one
        continue;
      }
    }
    // A waiting helper looks again by itself now and then: what wakes it
    // otherwise is a busy process (make_ready) or nothing running; a
    // process left to a running home is taken after kStuckAfter. Every
    // slice was too often: each look takes the lock from the worker that
    // runs (fan-in on 2 workers 0.74x of one worker).
    // Once the batch's time is spent, it waits for the host to close the
    // batch (or to open it again for a stuck slice), without spinning.
    double now = kernel_.now();
    double until = now + kLookEvery;
    if (!over) until = std::min({until, batch_end_, next_wakeup()});
    waiting_++;
    lock.wait(work_, until - now);
    if (batch_seq_ == batch) waiting_--;  // (a new batch counts its own)
    kernel_.now();  // the time after the wait, for the timers and the next slice
  }
}

}  // namespace moonbox
