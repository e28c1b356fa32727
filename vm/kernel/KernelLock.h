// KernelLock: what a thread holds while it uses its computer's kernel.
//
// With several workers, the processes of one computer run Lua in parallel.
// Lua itself runs without this lock; the kernel's objects (the process
// table, mailboxes, services, timers, the trace, the file system) are used
// only under it. The scheduler holds it except around lua_resume, and every
// binding that reaches the kernel takes it for the length of the call
// (call_locked and its templates in vm/lua/Binding.h).
//
// A Lua error or yield leaves a binding by longjmp, past its leave(): the
// thread then keeps the lock (the count is per thread) until its slice
// ends, and the scheduler takes it over in after_lua(). That is correct,
// only less parallel for the rest of such a slice.
//
// With one worker nothing runs beside the kernel's thread and the lock is
// off: enter() and leave() cost a load and a branch.
#pragma once

#include <condition_variable>
#include <mutex>

namespace moonbox {

class KernelLock {
 public:
  // Only between batches, when no Lua runs.
  void set_enabled(bool on) { enabled_ = on; }
  bool enabled() const { return enabled_; }
  const bool* enabled_flag() const { return &enabled_; }

  void enter() {
    if (enabled_ && depth_++ == 0) acquire();
  }
  void leave() {
    if (enabled_ && --depth_ == 0) mutex_.unlock();
  }
  // The scheduler, around lua_resume: it holds the lock exactly once.
  void before_lua();
  void after_lua();
  // Waits on cv for at most `seconds` (forever when negative), giving the
  // lock up meanwhile; the calling thread holds it (enabled) before and after.
  // True when the time ran out.
  bool wait(std::condition_variable& cv, double seconds = -1);

  // While it lives, the thread, still holding its kernel's lock, may take
  // another kernel's (the host thread gives the other computers a turn
  // while a process of its own is stuck in C: Scheduler::run_batch).
  class OtherKernel {
   public:
    OtherKernel() : saved_(depth_) { depth_ = 0; }
    ~OtherKernel() { depth_ = saved_; }
    OtherKernel(const OtherKernel&) = delete;
    OtherKernel& operator=(const OtherKernel&) = delete;

   private:
    int saved_;
  };

 private:
  // Spins a little before sleeping: the kernel's work under the lock is
  // short (a delivery, a receive), shorter than a sleep and a wake-up.
  void acquire();

  std::mutex mutex_;
  bool enabled_ = false;
  // How many times this thread entered (a thread uses one kernel at a time).
  static thread_local int depth_;
};

}  // namespace moonbox
