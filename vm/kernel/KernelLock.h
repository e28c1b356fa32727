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
//
// The bias. Most of the time one pool thread alone takes the lock, once or
// twice a message (a stream's two ends share a worker; the other waits), and
// each taking was two atomic read-modify-writes: a stream on 2 workers lost
// some 4% to them against one worker. So a pool thread that took the lock
// kBiasAfter times in a row, with nobody else in between, keeps a bias: it
// then enters with a plain store (its slot) and a load (bias_), and leaves
// with a store. Any other thread first takes the mutex, then revokes the
// bias: it clears bias_, makes every thread of the host pass a memory
// barrier (membarrier(2), "private expedited"), and waits until the owner is
// not inside. After that barrier the owner either was seen inside (and the
// revoker waits for its leave) or sees the bias gone at its next entry (and
// takes the mutex like everybody): the two sides of Dekker's algorithm, with
// the expensive fence paid only by the rare revoker (another worker's look
// every 10 ms, the host at a timer or a batch's end). Without membarrier
// (an old kernel, a seccomp filter) there is no bias.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace moonbox {

class KernelLock {
  // A thread that may hold a bias has a slot of its own: the lock it is
  // inside by its bias, or null. Only that thread writes it, so a thread
  // that finds its bias gone, late, never clears another owner's mark.
  // Slots live as long as the host (a lock may name the slot of a thread
  // that has ended).
  using Slot = std::atomic<const KernelLock*>;

 public:
  // Only between batches, when no Lua runs.
  void set_enabled(bool on) { enabled_ = on; }
  bool enabled() const { return enabled_; }
  const bool* enabled_flag() const { return &enabled_; }

  void enter() {
    if (enabled_ && depth_++ == 0) acquire();
  }
  void leave() {
    if (enabled_ && --depth_ == 0) release();
  }
  // The scheduler, around lua_resume: it holds the lock exactly once.
  void before_lua();
  void after_lua();
  // Waits on cv for at most `seconds`, giving the lock up meanwhile; the
  // calling thread holds it (enabled) before and after. True when the time
  // ran out. Always bounded: a time already past (a deadline computed
  // before a slow moment) waits for nothing. (It once meant "forever", and
  // a helper whose batch had ended while it computed its deadline waited
  // for a notification that the next batch no longer sent: a hang.)
  bool wait(std::condition_variable& cv, double seconds);

  // The calling thread may hold a bias (a pool thread: WorkerPool::main).
  static void allow_bias();
  // Whether this host has membarrier(2), without which there is no bias.
  static bool bias_available();
  // How many times a bias was revoked (for the tests).
  std::uint64_t revocations() const { return revocations_.load(std::memory_order_relaxed); }

  // While it lives, the thread, still holding its kernel's lock, may take
  // another kernel's (the host thread gives the other computers a turn
  // while a process of its own is stuck in C: Scheduler::run_batch).
  // (Meanwhile the thread takes other locks by their mutex: its slot keeps
  // marking the lock it is inside.)
  class OtherKernel {
   public:
    OtherKernel() : saved_depth_(depth_), saved_biased_(via_bias_), saved_slot_(t_slot_) {
      depth_ = 0;
      via_bias_ = false;
      t_slot_ = nullptr;
    }
    ~OtherKernel() {
      depth_ = saved_depth_;
      via_bias_ = saved_biased_;
      t_slot_ = saved_slot_;
    }
    OtherKernel(const OtherKernel&) = delete;
    OtherKernel& operator=(const OtherKernel&) = delete;

   private:
    int saved_depth_;
    bool saved_biased_;
    Slot* saved_slot_;
  };

 private:
  static constexpr int kBiasAfter = 256;

  // Takes the lock: by the bias when this thread holds it, else the mutex
  // (spinning a little first: the kernel's work under the lock is short, a
  // delivery, a receive), revoking another thread's bias.
  void acquire() {
    Slot* mine = t_slot_;
    if (mine && bias_.load(std::memory_order_relaxed) == mine) {
      mine->store(this, std::memory_order_relaxed);
      std::atomic_signal_fence(std::memory_order_seq_cst);  // the revoker's membarrier is the CPU's fence
      if (bias_.load(std::memory_order_relaxed) == mine) {
        via_bias_ = true;
        return;
      }
      mine->store(nullptr, std::memory_order_release);  // revoked meanwhile
    }
    acquire_mutex();
  }
  void release() {
    if (via_bias_) {
      via_bias_ = false;
      t_slot_->store(nullptr, std::memory_order_release);
      return;
    }
    release_mutex();
  }
  void acquire_mutex();
  void release_mutex();
  void revoke();  // under the mutex

  std::mutex mutex_;
  bool enabled_ = false;
  // The slot of the thread that holds the bias, or null; set under the mutex.
  std::atomic<Slot*> bias_{nullptr};
  // Under the mutex: who took it last, and how many times in a row.
  const void* last_holder_ = nullptr;
  int streak_ = 0;
  std::atomic<std::uint64_t> revocations_{0};
  // How many times this thread entered (a thread uses one kernel at a time).
  static thread_local int depth_;
  static thread_local bool via_bias_;  // this thread holds the lock by its bias
  static thread_local Slot* t_slot_;   // set by allow_bias
};

}  // namespace moonbox
