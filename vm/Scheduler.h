// Scheduler: the run queue, time slices and preemption, timers, and the
// blockers of blocked frames.
//
// It decides when a process runs and resumes its top frame; what a process
// may do is the kernel's business. A frame is resumed only when it has no
// blocker, or its blocker is satisfied or past its deadline. This object is
// the seam for running processes on several threads.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "vm/Preempter.h"
#include "vm/Result.h"

struct lua_State;

namespace moonbox {

class Kernel;
class Process;
struct Frame;

class Scheduler {
 public:
  explicit Scheduler(Kernel& kernel);

  // ---- the host
  // Runs ready processes for at most `budget` seconds of wall time.
  void run_for(double budget);
  // Runs exactly one slice of the next ready process (also while paused).
  // Returns the pid that ran, or 0.
  int step();
  bool has_ready() const { return !run_queue_.empty(); }
  // Kernel time of the next timer or deadline, or infinity.
  double next_wakeup() const;
  // The debugger's pause.
  bool paused() const { return paused_; }
  void set_paused(bool on) { paused_ = on; }
  // The process whose slice is running, or null.
  Process* current() const { return current_; }

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
  // Ends the running slice's process's slice as soon as it can (it signalled
  // itself, or asked to exit).
  void poke() { preempter_.poke(); }
  // The coroutine running for the current slice (coroutine.resume).
  void switched_to(lua_State* running) { preempter_.switch_to(running); }

 private:
  Process* next_ready();
  void run_slice(Process& p);
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
  Process* current_ = nullptr;
  bool paused_ = false;
  Preempter preempter_;  // last: its thread goes first
};

}  // namespace moonbox
