#include "vm/machine/WorldRunner.h"

#include <algorithm>
#include <chrono>

#include "vm/machine/World.h"

namespace moonbox {

WorldRunner::WorldRunner(World& world, double batch) : world_(world), batch_(batch) {
  world_.set_busy_listener([this](const Kernel::BusyReport& report) {
    std::lock_guard lock(busy_mutex_);
    busy_ = report;
    busy_at_ = std::chrono::steady_clock::now();
  });
  thread_ = std::thread([this] { loop(); });  // after the listener: the world is the thread's from here
}

std::optional<Kernel::BusyReport> WorldRunner::busy_report(double fresh) const {
  std::lock_guard lock(busy_mutex_);
  if (!busy_ || std::chrono::steady_clock::now() - busy_at_ > std::chrono::duration<double>(fresh)) return std::nullopt;
  return busy_;
}

WorldRunner::~WorldRunner() {
  if (thread_.joinable()) stop(1e9);
}

void WorldRunner::loop() {
  while (!stop_.load()) {
    bool busy, ran;
    {
      std::lock_guard lock(world_mutex_);
      std::uint64_t before = world_.slices_begun();
      world_.run_for(batch_);
      busy = world_.has_ready();
      ran = world_.slices_begun() != before;
    }
    if (ran && awaiting_activity_.exchange(false) && on_activity_) on_activity_();
    // Let a waiting host in before the next batch.
    if (host_waiting_.load()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    if (!busy) {
      double idle;
      {
        std::lock_guard lock(world_mutex_);
        idle = world_.idle_for();
      }
      // Until something is due, or the host has been in (with_world wakes
      // the world: it may have posted input).
      world_.sleep(std::min(idle, World::kLongestSleep));
    }
  }
  std::lock_guard lock(done_mutex_);
  finished_ = true;
  done_.notify_all();
}

bool WorldRunner::with_world(const std::function<void(World&)>& fn, double wait) {
  host_waiting_.store(true);
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait);
  bool got = world_mutex_.try_lock();
  while (!got && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    got = world_mutex_.try_lock();
  }
  host_waiting_.store(false);
  if (!got) return false;
  fn(world_);
  world_mutex_.unlock();
  world_.wake();
  return true;
}

bool WorldRunner::stop(double grace) {
  stop_.store(true);
  world_.wake();
  std::unique_lock lock(done_mutex_);
  if (!done_.wait_for(lock, std::chrono::duration<double>(grace), [this] { return finished_; })) {
    thread_.detach();
    return false;
  }
  lock.unlock();
  thread_.join();
  world_.set_busy_listener(nullptr);  // the world may outlive this runner
  return true;
}

}  // namespace moonbox
