// Spinning: a thread that expects another to finish within microseconds
// watches for it rather than sleep and be woken (a futex's sleep and wake-up
// cost more than the wait). Used by the kernel lock, the worker pool's
// threads and the host's thread in a batch.
#pragma once

#include <chrono>

namespace moonbox {

// Tells the CPU that this is a spin-wait loop (the other hyperthread runs).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until done() or `limit` has passed; done()'s last answer.
template <class Done>
bool spin_until(Done done, std::chrono::microseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    cpu_relax();
  }
  return true;
}

}  // namespace moonbox
