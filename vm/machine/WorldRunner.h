// WorldRunner: a World on a thread of its own, so that the host's thread
// (the window) never runs Lua. The world thread runs the computers in short
// batches; between two batches the host may take the world for a moment
// (with_world) to pass input, read what it draws and act for the debugger.
// While a process is inside a long C call the batch does not end: the host
// then gets a refusal at once and draws what it last saw, so the window
// never freezes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "vm/kernel/Kernel.h"

namespace moonbox {

class World;

class WorldRunner {
 public:
  // batch: seconds of computer time between two chances for the host.
  explicit WorldRunner(World& world, double batch = 0.004);
  ~WorldRunner();
  WorldRunner(const WorldRunner&) = delete;
  WorldRunner& operator=(const WorldRunner&) = delete;

  // Runs fn(world) on the calling thread while no Lua runs, waiting at most
  // `wait` seconds for the world thread to finish its batch. False (fn not
  // run) when it did not in time.
  bool with_world(const std::function<void(World&)>& fn, double wait);
  // Ends the world thread. False when it did not stop within `grace`
  // seconds (a process in a long C call): the thread is then left running,
  // and the World must outlive the process (the host exits at once).
  bool stop(double grace);
  // What a computer last published while one of its processes was stuck in
  // a C call (see Kernel::BusyReport), and how many seconds ago; none when
  // nothing was published within `fresh` seconds.
  std::optional<Kernel::BusyReport> busy_report(double fresh) const;
  // A host that waits for its own events while the world is idle (the
  // window) asks to be told when the world runs something meanwhile: fn is
  // called on the world thread after the first batch in which a process ran
  // once await_activity(true) was called, then not again until the next
  // call. Set fn before the host first waits.
  void set_activity_listener(std::function<void()> fn) { on_activity_ = std::move(fn); }
  void await_activity(bool on) { awaiting_activity_.store(on); }

 private:
  void loop();

  World& world_;
  double batch_;
  // Held by whoever uses the world. A plain mutex polled with try_lock,
  // not a timed_mutex: ThreadSanitizer (g++ 12) does not see
  // pthread_mutex_clocklock, which try_lock_for uses.
  std::mutex world_mutex_;
  std::atomic<bool> host_waiting_{false};
  std::function<void()> on_activity_;
  std::atomic<bool> awaiting_activity_{false};
  std::atomic<bool> stop_{false};
  std::mutex done_mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  mutable std::mutex busy_mutex_;  // the last report, written on the world thread
  std::optional<Kernel::BusyReport> busy_;
  std::chrono::steady_clock::time_point busy_at_;
  std::thread thread_;
};

}  // namespace moonbox
