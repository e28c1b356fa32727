#include "vm/WorldRunner.h"

#include <algorithm>
#include <chrono>

#include "vm/World.h"

namespace moonbox {

WorldRunner::WorldRunner(World& world, double batch) : world_(world), batch_(batch), thread_([this] { loop(); }) {}

WorldRunner::~WorldRunner() {
  if (thread_.joinable()) stop(1e9);
}

void WorldRunner::loop() {
  while (!stop_.load()) {
    bool busy;
    {
      std::lock_guard lock(world_mutex_);
      world_.run_for(batch_);
      busy = world_.has_ready();
    }
    // Let a waiting host in before the next batch.
    if (host_waiting_.load()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    if (!busy) {
      double idle;
      {
        std::lock_guard lock(world_mutex_);
        idle = world_.idle_for();
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(std::clamp(idle, 0.0, 0.002)));
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
  return true;
}

bool WorldRunner::stop(double grace) {
  stop_.store(true);
  std::unique_lock lock(done_mutex_);
  if (!done_.wait_for(lock, std::chrono::duration<double>(grace), [this] { return finished_; })) {
    thread_.detach();
    return false;
  }
  lock.unlock();
  thread_.join();
  return true;
}

}  // namespace moonbox
