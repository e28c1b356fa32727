// WorkerPool: the threads that run processes when there are several
// workers, each with its preemption watchdog, shared by every kernel that
// uses the pool (a world's computers), not owned by each.
//
// A kernel's batch asks the pool for threads (request); a thread takes the
// request, serves that kernel's batch (Scheduler::serve, under the kernel's
// lock) until the batch closes, and comes back for the next. The world runs
// its computers' batches one after another, so a few threads serve them
// all: a thousand idle computers cost no thread each.
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
  };
  Helper& helper(int i) { return *helpers_[static_cast<std::size_t>(i)]; }
  const Helper& helper(int i) const { return *helpers_[static_cast<std::size_t>(i)]; }

  // A thread for scheduler s's open batch, when one is free. (The kernel
  // lock of s may be held.)
  void request(Scheduler* s);
  // s goes away (or leaves the pool): no thread serves it once this returns.
  void forget(Scheduler* s);

 private:
  void main(Helper& h);

  std::vector<std::unique_ptr<Helper>> helpers_;
  std::mutex mutex_;
  std::condition_variable work_;   // a request came
  std::condition_variable idle_;   // a thread finished serving
  std::deque<Scheduler*> requests_;
  std::atomic<int> pending_{0};  // requests_.size(), for the spin in main
  static constexpr std::chrono::microseconds kSpin{50};
  std::unordered_map<Scheduler*, int> active_;  // schedulers being served, and by how many threads
  bool quitting_ = false;
};

}  // namespace moonbox
