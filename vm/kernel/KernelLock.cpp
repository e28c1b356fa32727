#include "vm/kernel/KernelLock.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vm/kernel/Spin.h"

namespace moonbox {

namespace {

long membarrier(int cmd) { return syscall(__NR_membarrier, cmd, 0, 0); }

// Whether this host can make all its threads pass a memory barrier
// (registered once, on first use): without it, no thread gets a bias.
bool barrier_available() {
  static const bool available = [] {
    long cmds = membarrier(MEMBARRIER_CMD_QUERY);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ||
        !(cmds & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
      return false;
    return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
  }();
  return available;
}

}  // namespace

bool KernelLock::bias_available() { return barrier_available(); }

thread_local int KernelLock::depth_ = 0;
thread_local bool KernelLock::via_bias_ = false;
thread_local KernelLock::Slot* KernelLock::t_slot_ = nullptr;

void KernelLock::allow_bias() {
  if (t_slot_) return;
  static std::mutex slots_mutex;
  static std::deque<Slot> slots;  // never shrinks: its elements stay where they are
  std::lock_guard hold(slots_mutex);
  t_slot_ = &slots.emplace_back(nullptr);
}

void KernelLock::acquire_mutex() {
  bool got = false;
  for (int i = 0; i < 200 && !got; i++) {
    got = mutex_.try_lock();
    if (!got) cpu_relax();
  }
  if (!got) mutex_.lock();
  via_bias_ = false;
  if (bias_.load(std::memory_order_relaxed)) revoke();
  // Who took it (a thread without a slot counts by its depth's address).
  const void* me = t_slot_ ? static_cast<const void*>(t_slot_) : static_cast<const void*>(&depth_);
  if (last_holder_ == me) {
    streak_ = std::min(streak_ + 1, kBiasAfter);
  } else {
    last_holder_ = me;
    streak_ = 0;
  }
}

void KernelLock::release_mutex() {
  // Nobody else took the lock for a while: this thread keeps a bias.
  if (t_slot_ && streak_ >= kBiasAfter && bias_available()) bias_.store(t_slot_, std::memory_order_relaxed);
  mutex_.unlock();
}

void KernelLock::revoke() {
  Slot* owner = bias_.load(std::memory_order_relaxed);
  bias_.store(nullptr, std::memory_order_relaxed);
  if (owner == t_slot_) return;  // our own, and we are not inside by it
  // From here on the owner sees the bias gone at its next entry, or it is
  // seen inside now. (Registered, the call does not fail; if it did, the
  // lock could no longer exclude anybody.)
  if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0) std::abort();
  // It leaves at the end of its kernel call, or of its slice after an error
  // or a yield left a binding.
  for (int i = 0; owner->load(std::memory_order_acquire) == this; i++) {
    if (i < 1000) cpu_relax();
    else if (i < 2000) std::this_thread::yield();
    else std::this_thread::sleep_for(std::chrono::microseconds(100));  // a slice stuck in C after an error
  }
  revocations_.fetch_add(1, std::memory_order_relaxed);
}

bool KernelLock::wait(std::condition_variable& cv, double seconds) {
  // A condition variable waits with the mutex: one held by the bias takes
  // the mutex first (giving the bias up). Others may take the lock in
  // between, and what the caller saw before it chose to wait may have
  // changed (the host closed the batch and notified the helpers it counted
  // as waiting, this one among them): so it returns at once, as a spurious
  // wake-up, and the caller looks again, now under the mutex. (Waiting on,
  // a helper missed the end of its batch.)
  bool timed_out = false;
  if (via_bias_) {
    via_bias_ = false;
    t_slot_->store(nullptr, std::memory_order_release);
    acquire_mutex();
  } else {
    std::unique_lock held(mutex_, std::adopt_lock);
    timed_out = cv.wait_for(held, std::chrono::duration<double>(std::max(seconds, 0.0))) == std::cv_status::timeout;
    held.release();  // still held: the caller's
    // Meanwhile another thread may have got a bias.
    if (bias_.load(std::memory_order_relaxed)) revoke();
  }
  last_holder_ = nullptr;
  streak_ = 0;
  return timed_out;
}

void KernelLock::before_lua() {
  if (!enabled_) return;
  depth_ = 0;
  release();
}

void KernelLock::after_lua() {
  if (!enabled_) return;
  // Still held when a binding left by an error or a yield.
  if (depth_ == 0) acquire();
  depth_ = 1;
}

}  // namespace moonbox
