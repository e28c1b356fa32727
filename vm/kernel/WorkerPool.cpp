#include "vm/kernel/WorkerPool.h"

#include <algorithm>

#include "vm/kernel/Scheduler.h"
#include "vm/kernel/Spin.h"

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
  idle_.wait(lock, [&] { return !active_.contains(s); });
}

void WorkerPool::main(Helper& h) {
  Scheduler::bind_worker(h.index);
  std::unique_lock lock(mutex_);
  for (;;) {
    if (requests_.empty() && !quitting_) {
      // The world runs its computers' batches one after another: the next
      // request usually comes within microseconds. A short spin takes it
      // without a sleep and a wake-up, and costs nothing to an idle world,
      // whose batches are rare.
      lock.unlock();
      spin_until([&] { return pending_.load(std::memory_order_acquire) != 0; }, kSpin);
      lock.lock();
    }
    work_.wait(lock, [&] { return quitting_ || !requests_.empty(); });
    if (quitting_) return;
    Scheduler* s = requests_.front();
    requests_.pop_front();
    pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
    active_[s]++;
    lock.unlock();
    s->serve_from_pool(h);
    lock.lock();
    if (--active_[s] == 0) active_.erase(s);
    idle_.notify_all();
  }
}

}  // namespace moonbox
