#include "vm/kernel/KernelLock.h"

#include <algorithm>
#include <chrono>

#include "vm/kernel/Spin.h"

namespace moonbox {

thread_local int KernelLock::depth_ = 0;

void KernelLock::acquire() {
  for (int i = 0; i < 200; i++) {
    if (mutex_.try_lock()) return;
    cpu_relax();
  }
  mutex_.lock();
}

bool KernelLock::wait(std::condition_variable& cv, double seconds) {
  std::unique_lock held(mutex_, std::adopt_lock);
  bool timed_out = false;
  if (seconds < 0) cv.wait(held);
  else timed_out = cv.wait_for(held, std::chrono::duration<double>(std::max(seconds, 0.0))) == std::cv_status::timeout;
  held.release();  // still held: the caller's
  return timed_out;
}

void KernelLock::before_lua() {
  if (!enabled_) return;
  depth_ = 0;
  mutex_.unlock();
}

void KernelLock::after_lua() {
  if (!enabled_) return;
  // Still held when a binding left by an error or a yield.
  if (depth_ == 0) acquire();
  depth_ = 1;
}

}  // namespace moonbox
