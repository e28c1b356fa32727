// Timers: os.startTimer's and os.setAlarm's, a process's wait deadlines,
// and the next time anything is due.
#include "vm/kernel/Scheduler.h"

#include <algorithm>
#include <limits>

#include "vm/kernel/Kernel.h"

namespace moonbox {

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
