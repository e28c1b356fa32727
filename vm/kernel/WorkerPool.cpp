#include "vm/kernel/WorkerPool.h"

#include <algorithm>

#include "vm/kernel/KernelLock.h"
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
  for (auto& h : helpers_) h->wake.notify_one();
  for (auto& h : helpers_) h->thread.join();
}

bool WorkerPool::requested(const Scheduler* s) const {
  if (std::find(requests_.begin(), requests_.end(), s) != requests_.end()) return true;
  return std::any_of(helpers_.begin(), helpers_.end(), [s](const auto& h) { return h->handed == s; });
}

void WorkerPool::request(Scheduler* s, int preferred) {
  std::lock_guard lock(mutex_);
  Helper* to = preferred >= 0 && preferred < size() ? helpers_[static_cast<std::size_t>(preferred)].get() : nullptr;
  // (A helper leaving s's last batch takes it next, without a wait: the
  // batch asked for it only once no helper serves s.)
  if (to && !to->handed && (to->free || to->taken == s)) {
    // It replaces a request for anybody still queued from s's last batch
    // (a helper asked for while all were busy).
    std::erase(requests_, s);
    pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
    if (!requested(s)) {
      to->handed = s;
      to->has_handed.store(true, std::memory_order_release);
      to->wake.notify_one();
    }
    return;
  }
  // One waiting request a scheduler is enough: a thread that takes it
  // serves until the batch closes, and asks for company itself.
  if (requested(s)) return;
  requests_.push_back(s);
  pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
  // One free helper is woken, and claimed: the next request wakes another
  // (it is free again if it finds nothing, someone spinning took it first).
  for (auto& h : helpers_)
    if (h->free && !h->handed) {
      h->free = false;
      h->wake.notify_one();
      break;
    }
}

void WorkerPool::forget(Scheduler* s) {
  std::unique_lock lock(mutex_);
  std::erase(requests_, s);
  pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
  for (auto& h : helpers_)
    if (h->handed == s) {
      h->handed = nullptr;
      h->has_handed.store(false, std::memory_order_relaxed);
    }
  idle_.wait(lock, [&] { return !active_.contains(s); });
}

// The request handed to h, else the oldest one for anybody, else null.
Scheduler* WorkerPool::next_request(Helper& h) {
  if (Scheduler* s = h.handed) {
    h.handed = nullptr;
    h.has_handed.store(false, std::memory_order_relaxed);
    return s;
  }
  if (requests_.empty()) return nullptr;
  Scheduler* s = requests_.front();
  requests_.pop_front();
  pending_.store(static_cast<int>(requests_.size()), std::memory_order_release);
  return s;
}

void WorkerPool::main(Helper& h) {
  Scheduler::bind_worker(h.index);
  KernelLock::allow_bias();
  std::unique_lock lock(mutex_);
  for (;;) {
    h.free = true;
    Scheduler* s = next_request(h);
    if (!s && !quitting_) {
      // The world runs its computers' batches one after another: the next
      // request usually comes within microseconds. A short spin takes it
      // without a sleep and a wake-up, and costs nothing to an idle world,
      // whose batches are rare.
      lock.unlock();
      spin_until(
          [&] {
            return pending_.load(std::memory_order_acquire) != 0 || h.has_handed.load(std::memory_order_acquire);
          },
          kSpin);
      lock.lock();
      while (!quitting_ && !h.handed && requests_.empty()) {
        h.free = true;  // (claimed by a request that another took meanwhile: free again before it sleeps)
        h.wake.wait(lock);
      }
      s = next_request(h);
    }
    if (quitting_) return;
    if (!s) continue;
    h.free = false;
    h.taken = s;
    active_[s]++;
    lock.unlock();
    s->serve_from_pool(h);
    lock.lock();
    h.taken = nullptr;
    if (--active_[s] == 0) active_.erase(s);
    idle_.notify_all();
  }
}

}  // namespace moonbox
