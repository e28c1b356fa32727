#include "vm/KernelLock.h"

namespace moonbox {

thread_local int KernelLock::depth_ = 0;

void KernelLock::acquire() {
  for (int i = 0; i < 200; i++) {
    if (mutex_.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  mutex_.lock();
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
