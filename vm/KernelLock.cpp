#include "vm/KernelLock.h"

namespace moonbox {

thread_local int KernelLock::depth_ = 0;

void KernelLock::before_lua() {
  if (!enabled_) return;
  depth_ = 0;
  mutex_.unlock();
}

void KernelLock::after_lua() {
  if (!enabled_) return;
  // Still held when a binding left by an error or a yield.
  if (depth_ == 0) mutex_.lock();
  depth_ = 1;
}

}  // namespace moonbox
