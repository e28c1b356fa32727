// WorkerPool: the threads that run processes when there are several
// workers, each with its preemption watchdog, shared by every kernel that
// uses the pool (a world's computers), not owned by each.
//
// A kernel's batch asks the pool for threads (request); a thread takes the
// request, serves that kernel's batch (Scheduler::serve, under the kernel's
// lock) until the batch closes, and comes back for the next. The world runs
// its computers' batches one after another, so a few threads serve them
// all: a thousand idle computers cost no thread each.
//
// A request names the thread that ran the kernel's last slice, and goes to
// it when it is free: a computer's processes stay on one core from batch to
// batch. (Taken by whichever thread woke first, a batch moved every process
// of a fan-in to the other core now and then, each with its heap cold in
// that core's cache, and split them over both for a while: fan-in on 2
// workers 0.21 s against 0.16 s.)
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "vm/kernel/Preempter.h"

namespace moonbox {

class Scheduler;

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int size() const { return static_cast<int>(helpers_.size()); }

  // One of the pool's threads.
  struct Helper {
    Helper(int i);
    Preempter preempter;
    std::thread thread;
    int index;
    // The scheduler it serves and whether a slice of it runs now: read by
    // other threads (placement), written under that scheduler's kernel lock.
    std::atomic<const Scheduler*> serving{nullptr};
    std::atomic<bool> running{false};
    // In the pool (under the pool's mutex): free for a request, and the one
    // handed to it.
    bool free = false;
    Scheduler* handed = nullptr;
    Scheduler* taken = nullptr;  // the one it serves, or just served and leaves
    std::atomic<bool> has_handed{false};  // handed != nullptr, for the spin
    std::condition_variable wake;         // a request for it, or for anyone
  };
  Helper& helper(int i) { return *helpers_[static_cast<std::size_t>(i)]; }
  const Helper& helper(int i) const { return *helpers_[static_cast<std::size_t>(i)]; }

  // A thread for scheduler s's open batch, when one is free: helper
  // `preferred` when it is free, or on its way back from s's last batch
  // (s's processes ran there last; only when s's batch starts, which no
  // helper serves yet). (The kernel lock of s may be held.)
  void request(Scheduler* s, int preferred = -1);
  // s goes away (or leaves the pool): no thread serves it once this returns.
  void forget(Scheduler* s);

 private:
  void main(Helper& h);
  Scheduler* next_request(Helper& h);  // under mutex_
  bool requested(const Scheduler* s) const;

  std::vector<std::unique_ptr<Helper>> helpers_;
  std::mutex mutex_;
  std::condition_variable idle_;   // a thread finished serving
  std::deque<Scheduler*> requests_;
  std::atomic<int> pending_{0};  // requests_.size(), for the spin in main
  static constexpr std::chrono::microseconds kSpin{50};
  std::unordered_map<Scheduler*, int> active_;  // schedulers being served, and by how many threads
  bool quitting_ = false;
};

}  // namespace moonbox
