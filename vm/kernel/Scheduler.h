// Scheduler: the run queue, time slices and preemption, timers, and the
// blockers of blocked frames.
//
// It decides when a process runs and resumes its top frame; what a process
// may do is the kernel's business. A frame is resumed only when it has no
// blocker, or its blocker is satisfied or past its deadline.
//
// Workers: with config.workers = 1 the host's thread runs every slice. With
// more, a batch (run_for) runs ready processes on the threads of a
// WorkerPool (a world's, shared by its computers), each with a Preempter of
// its own, while the host's thread only fires timers and watches for a
// slice stuck in C (the batch then stays open for the others, and the
// kernel publishes its process table for the debugger). A process runs on
// one worker at a time; all the scheduler's and the kernel's bookkeeping
// happens under the kernel lock, which a worker gives up only while Lua
// runs. Between batches the pool's threads serve other kernels, and the
// host has the kernel to itself.
#pragma once

#include <ctime>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "vm/kernel/Preempter.h"
#include "vm/kernel/Result.h"
#include "vm/kernel/WorkerPool.h"

struct lua_State;

namespace moonbox {

class Kernel;
class Process;
struct Frame;

class Scheduler {
 public:
  explicit Scheduler(Kernel& kernel);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // ---- the host
  // Runs ready processes for at most `budget` seconds of wall time.
  void run_for(double budget);
  // Runs exactly one slice of the next ready process (also while paused).
  // Returns the pid that ran, or 0.
  int step();
  bool has_ready() const { return !run_queue_.empty(); }
  // A slice that sent or took this many messages exchanges them (one is a
  // computation's progress report, not a conversation); a process it
  // started counts as many (Kernel::spawn_child). Such a process is not
  // spread to another worker (should_spread).
  static constexpr std::uint32_t kExchanging = 2;
  // Kernel time of the next timer or deadline, or infinity.
  double next_wakeup() const;
  // The debugger's pause.
  bool paused() const { return paused_; }
  void set_paused(bool on) { paused_ = on; }
  // The process whose slice runs on the calling thread, or null.
  Process* current() const;
  // Threads that run processes from the next batch on (between batches):
  // n > 1 runs them on `shared` (a world's pool), or on a pool of its own.
  void set_workers(int n, std::shared_ptr<WorkerPool> shared = nullptr);
  int workers() const { return pool_ ? pool_->size() : 1; }
  // ---- the pool's threads (WorkerPool)
  // Serves this kernel's open batch on pool thread h, under the kernel lock.
  void serve_from_pool(WorkerPool::Helper& h);
  // The calling thread is pool thread i (a process's home).
  static void bind_worker(int i) { t_worker_ = i; }

  // ---- used by the kernel
  void make_ready(Process& p);
  // Puts a process that just ran, or was just continued, where it belongs:
  // ready if it can make progress, otherwise blocked until its blocker is.
  void settle(Process& p);
  // Something p may wait for happened: ready it if its blocker is satisfied.
  void wake_if_satisfied(Process& p);
  // os.startTimer ("timer" events) and os.setAlarm ("alarm" events): the
  // id, or TooManyTimers. Each kind numbers its ids on its own, as CC does,
  // and both count toward the process's timer limit.
  enum class TimerKind : std::uint8_t { Timer, Alarm };
  Result<int> start_timer(Process& p, double seconds, TimerKind kind = TimerKind::Timer);
  void cancel_timer(Process& p, std::int64_t id, TimerKind kind = TimerKind::Timer);
  // p has exited: its timers are gone.
  void forget_timers(Process& p);

  // The preemption hook, on thread L, every `count` instructions.
  static void install_hook(lua_State* L, int count);
  // The hook itself (Hooks.cpp): Lua's one hook per coroutine, for
  // preemption and the program's own hook.
  static void preempt_hook(lua_State* L, lua_Debug* ar);
  // Gives coroutine L of p the hook its program asked for (mask 0: none),
  // keeping a preemption that is due on it.
  static void set_program_hook(Process& p, lua_State* L, int mask, int count);
  void ensure_line_hook(Process& p, lua_State* co);
  // p needs the kernel soon (it was signalled, asked to exit or to stop):
  // marks it, and ends its slice as soon as it can when it runs, on
  // whichever worker runs it.
  void poke(Process& p);
  // p gives up the processor (sleep(0)): with several workers, it runs again
  // only once every process that is ready or running now has had its turn,
  // as with one worker, where it simply goes to the back of the queue.
  void give_turn(Process& p);
  // Waits (giving up the kernel lock) until process pid, running on another
  // worker, is back in the kernel: its slice ended, or it waits here too
  // (two processes that signal each other), or 0.1 s passed (a long C call).
  void wait_until_back(int pid);
  // The coroutine of p that now runs (coroutine.resume), on p's own thread.
  void switched_to(Process& p, lua_State* running);
  // How many slices began with a direct switch (run_chain), for tests.
  std::uint64_t direct_switches() const { return direct_switches_; }
  // How many slices have begun, ever (the host's cue that something ran).
  std::uint64_t slices_begun() const { return slice_seq_; }
  // See Kernel::set_stuck_turn.
  void set_stuck_turn(std::function<void(double)> fn) { stuck_turn_ = std::move(fn); }

 private:
  using Helper = WorkerPool::Helper;
  // The next ready process for worker `worker` (-1: the host's thread, with
  // one worker), dropping stale entries; see Scheduler.cpp.
  Process* next_ready(int worker = -1);
  bool belongs_elsewhere(const Process& p, int worker) const;
  void dequeue(std::size_t i, Process* p);
  void run_batch(double end);
  void serve(Helper& h);
  void run_slice(Process& p, Preempter& preempter);
  // Runs p, then, while a slice ends in a direct switch, the process it woke.
  void run_chain(Process* p, Preempter& preempter);
  Process* take_handoff(const Process& p, double chain_end);
  void after_resume(Process& p, int status, int nres);
  void wait_for_event(Process& p, Frame& f, int nres);
  bool resume_with_event(Process& p, Frame& f);
  bool push_handler_frame(Process& p, int sig);
  void fire_due_timers();
  void schedule_deadline(Process& p);

  struct TimerEntry {
    double deadline;
    std::uint64_t seq;
    std::optional<TimerKind> os_timer;  // os.startTimer or os.setAlarm; none: a blocker's deadline
    int pid;
    std::uint64_t id;   // timer id or blocker generation
    bool operator>(const TimerEntry& o) const {
      return deadline != o.deadline ? deadline > o.deadline : seq > o.seq;
    }
  };

  Kernel& kernel_;
  std::deque<int> run_queue_;
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> timers_;
  // Live ids -> pid, and the last id given, for each TimerKind.
  std::unordered_map<std::uint64_t, int> os_timers_[2];
  std::uint64_t next_timer_id_[2] = {0, 0};
  std::uint64_t timer_seq_ = 0;
  bool paused_ = false;
  Preempter preempter_;  // the host thread's; its thread goes before the kernel

  // Several workers (all under the kernel lock).
  std::shared_ptr<WorkerPool> pool_;
  std::condition_variable work_;     // helpers: ready processes, a batch, a turn
  std::condition_variable drained_;  // a slice of a closed batch ended
  std::condition_variable back_;     // a slice ended (wait_until_back)
  int waiting_back_ = 0;
  // Turns (give_turn): every slice gets a number; p.turn_after_ is the first
  // number p need not wait for.
  std::uint64_t slice_seq_ = 0;
  std::uint64_t direct_switches_ = 0;
  // The helper that ran the last slice of a process not busy: the next batch
  // asks the pool for it.
  int last_worker_ = -1;
  struct RunningSlice {
    std::uint64_t seq;
    int pid;
    double start;
    clockid_t cpu_clock;        // the running thread's CPU clock
    Preempter* preempter;       // its worker's watchdog
    double suspect_cpu = -1;    // its CPU time when first seen past the deadline
  };
  std::vector<RunningSlice> running_;
  // Whether r is inside a C call: past its deadline by kStuckAfter, and its
  // thread has used CPU since it was first seen past it (a worker the OS
  // descheduled is past its deadline too, but uses none).
  bool is_stuck(RunningSlice& r, double now);
  RunningSlice* stuck_slice(double now);
  int stuck_slices(double now);
  void give_stuck_turn();
  std::function<void(double)> stuck_turn_;
  // A slice this far past its deadline is stuck in C; the host looks this often.
  static constexpr double kStuckAfter = 0.1;
  static constexpr double kBusyCheck = 0.05;
  static constexpr double kLookEvery = 0.01;  // a waiting helper looks by itself (serve)
  int turn_waiters_ = 0;  // queued processes with a turn_after_
  bool may_run(const Process& p) const;
  bool batch_open_ = false;
  double batch_end_ = 0;
  int in_flight_ = 0;  // slices running
  int waiting_ = 0;    // pool threads waiting for work in this batch (serve)
  // Which run_batch this is: a helper still in serve from an earlier one
  // (waiting for the lock when the next began) goes back to the pool.
  std::uint64_t batch_seq_ = 0;
  std::condition_variable host_wake_;  // the host's thread, waiting in a batch
  bool host_waiting_ = false;
  std::atomic<bool> batch_idle_{false};  // nothing runs and nothing is ready (the host's spin)
  static constexpr std::chrono::microseconds kHostSpin{50};
  void wake_one();
  bool should_spread(const Process& p) const;
  // The helper this thread is (its index), or -1 (the host's thread).
  static inline thread_local int t_worker_ = -1;
};

}  // namespace moonbox
