#include "vm/kernel/WorkerPool.h"

#include <algorithm>
#include <chrono>

#include "vm/kernel/Scheduler.h"

namespace moonbox {

WorkerPool::Helper::Helper(int i) : preempter(Scheduler::preempt_hook), index(i) {}

WorkerPool::WorkerPool(int threads) {
  for (int i = 0; i < threads; i++) helpers_.push_back(std::make_unique<Helper>(i));
  for (auto& h : helpers_) {
    Helper& helper = *h;
    helper.thread = std::thread([this, &helper] { main(helper); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    quitting_ = true;
  }
  work_.notify_all();
  for (auto& h : helpers_) h->thread.join();
}

void WorkerPool::request(Scheduler* s) {
  {
    std::lock_guard lock(mutex_);
    // One waiting request a scheduler is enough: a thread that takes it
    // serves until the batch closes, and asks for company itself.
    if (std::find(requests_.begin(), requests_.end(), s) != requests_.end()) return;
    requests_.push_back(s);
    pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
  }
  work_.notify_one();
}

void WorkerPool::forget(Scheduler* s) {
  std::unique_lock lock(mutex_);
  std::erase(requests_, s);
  pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
  idle_.wait(lock, [&] {
    return std::none_of(active_.begin(), active_.end(), [s](const auto& a) { return a.first == s; });
  });
}

void WorkerPool::main(Helper& h) {
  Scheduler::bind_worker(h.index);
  std::unique_lock lock(mutex_);
  for (;;) {
    if (requests_.empty() && !quitting_) {
      // The world runs its computers' batches one after another: the next
      // request usually comes within microseconds. A short spin takes it
      // without a sleep and a wake-up (1,000 computers booted 1.98 s -> see
      // README), and costs nothing to an idle world, whose batches are rare.
      lock.unlock();
      auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
      while (pending_.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < until) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      }
      lock.lock();
    }
    work_.wait(lock, [&] { return quitting_ || !requests_.empty(); });
    if (quitting_) return;
    Scheduler* s = requests_.front();
    requests_.pop_front();
    pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
    auto it = std::find_if(active_.begin(), active_.end(), [s](const auto& a) { return a.first == s; });
    if (it == active_.end()) active_.emplace_back(s, 1);
    else it->second++;
    lock.unlock();
    s->serve_from_pool(h);
    lock.lock();
    it = std::find_if(active_.begin(), active_.end(), [s](const auto& a) { return a.first == s; });
    if (--it->second == 0) active_.erase(it);
    idle_.notify_all();
  }
}

}  // namespace moonbox
