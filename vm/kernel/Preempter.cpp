#include "vm/kernel/Preempter.h"

#include <chrono>

#include <lua.hpp>

#include "vm/kernel/Clock.h"

namespace moonbox {

Preempter::Preempter(const Clock& clock, void (*hook)(lua_State*, lua_Debug*)) : clock_(&clock), hook_(hook) {}

Preempter::~Preempter() {
  if (!thread_.joinable()) return;  // never armed
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Preempter::arm(lua_State* running, double deadline, const Clock* clock) {
  std::lock_guard lock(mutex_);
  if (clock) clock_ = clock;
  // The watchdog thread starts with the first slice it times: a kernel whose
  // host thread runs no Lua (several workers) never starts its own.
  if (!thread_.joinable()) thread_ = std::thread([this] { watch(); });
  running_ = running;
  deadline_ = deadline;
  fired_ = false;
  // A watchdog timing an earlier slice wakes by itself before this one
  // ends; only an idle one needs waking.
  if (idle_) wake_.notify_one();
}

void Preempter::switch_to(lua_State* running) {
  std::lock_guard lock(mutex_);
  if (!running_) return;  // not in a slice (a process being set up)
  running_ = running;
  if (fired_) fire(running);  // the time is up here too
}

void Preempter::poke() {
  std::lock_guard lock(mutex_);
  if (!running_) return;
  fired_ = true;
  fire(running_);
}

void Preempter::set_hook(lua_State* L, void (*hook)(lua_State*, lua_Debug*), int mask, int count) {
  std::lock_guard lock(mutex_);
  if (fired_ && L == running_) lua_sethook(L, hook_, mask | LUA_MASKCOUNT, 1);
  else lua_sethook(L, mask ? hook : nullptr, mask, count);
}

bool Preempter::fired() {
  std::lock_guard lock(mutex_);
  return running_ && fired_;
}

void Preempter::disarm() {
  std::lock_guard lock(mutex_);
  running_ = nullptr;
  fired_ = false;
}

void Preempter::watch() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (!running_) {
      idle_ = true;
      wake_.wait(lock);
      idle_ = false;
      continue;
    }
    if (fired_) {
      // Installed, but the slice goes on: install it again every so often
      // until the slice ends. Lua's count can pass zero unseen when the
      // hook is set while a program's own hook runs (the interpreter reads
      // the old mask, then counts down the new count), which would lose the
      // preemption for good; a fresh count of 1 always reaches zero.
      wake_.wait_for(lock, std::chrono::milliseconds(2));
      if (running_ && fired_) fire(running_);
      continue;
    }
    double left = deadline_ - clock_->now();
    if (left > 0) {
      wake_.wait_for(lock, std::chrono::duration<double>(left));
      continue;
    }
    fired_ = true;
    fire(running_);
  }
}

// The events L's hook already has stay (the debugger's lines, the
// profiler's calls and returns): only a count of 1 is added.
void Preempter::fire(lua_State* L) { lua_sethook(L, hook_, lua_gethookmask(L) | LUA_MASKCOUNT, 1); }

}  // namespace moonbox
