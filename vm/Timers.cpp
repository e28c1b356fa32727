// Timers: os.startTimer events and the deadlines of blocking calls.
#include "vm/Kernel.h"

#include <limits>

namespace moonbox {

double Kernel::next_wakeup() const {
  return timers_.empty() ? std::numeric_limits<double>::infinity() : timers_.top().deadline;
}

int Kernel::start_timer(Process& p, double seconds) {
  if (p.timers >= config_.timers_per_process) return 0;
  p.timers++;
  auto id = ++next_timer_id_;
  os_timers_[id] = p.pid;
  timers_.push({now() + (seconds > 0 ? seconds : 0), ++timer_seq_, true, p.pid, id});
  return static_cast<int>(id);
}

void Kernel::cancel_timer(Process& p, int id) {
  auto it = os_timers_.find(static_cast<std::uint64_t>(id));
  if (it != os_timers_.end() && it->second == p.pid) {
    os_timers_.erase(it);
    p.timers--;
  }
}

void Kernel::schedule_wait_deadline(Process& p) {
  const Wait& w = p.top().wait;
  if (w.deadline < std::numeric_limits<double>::infinity())
    timers_.push({w.deadline, ++timer_seq_, false, p.pid, w.gen});
}

void Kernel::fire_due_timers() {
  double t = now();
  while (!timers_.empty() && timers_.top().deadline <= t) {
    TimerEntry e = timers_.top();
    timers_.pop();
    Process* p = find(e.pid);
    if (!p || !p->alive()) continue;
    if (e.os_timer) {
      auto it = os_timers_.find(e.id);
      if (it == os_timers_.end()) continue;  // cancelled
      os_timers_.erase(it);
      p->timers--;
      std::string payload;
      MessageWriter(payload).integer(static_cast<std::int64_t>(e.id)).finish();
      send_event(0, e.pid, EventKind::System, "timer", payload);
    } else if (p->state == ProcState::Blocked && p->top().wait.gen == e.id) {
      make_ready(*p);
    }
  }
}

}  // namespace moonbox
