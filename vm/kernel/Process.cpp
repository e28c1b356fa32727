#include "vm/kernel/Process.h"

#include <bit>

#include "vm/kernel/Scheduler.h"

#include <lua.hpp>

#include "vm/kernel/Kernel.h"

namespace moonbox {

const char* proc_state_name(ProcState s) {
  switch (s) {
    case ProcState::Ready: return "ready";
    case ProcState::Running: return "running";
    case ProcState::Blocked: return "blocked";
    case ProcState::Stopped: return "stopped";
    case ProcState::Zombie: return "zombie";
  }
  return "?";
}

Process::Process(Kernel& k, int id, int parent, std::string n, std::string u, std::string cwd,
                 std::size_t memory_limit, std::size_t queue_capacity)
    : kernel_(k), pid_(id), ppid_(parent), name_(std::move(n)), user_(std::move(u)), cwd_(std::move(cwd)),
      mailbox_(queue_capacity) {
  memory_.limit = memory_limit;
  memory_.queued = mailbox_.bytes_counter();
  for (int& h : handlers_) h = LUA_NOREF;
}

Process::~Process() { close_state(); }

void Process::close_state() {
  if (!L_) return;
  // The sandbox allows no __gc metamethods, so closing runs no user code.
  closing_ = true;
  Scheduler::install_hook(L_, 1);  // code that runs while closing ends at once
  lua_close(L_);
  L_ = nullptr;
  memory_.heap.release();  // the state's small blocks, all freed, go back at once
}

void* Process::lua_extraspace(lua_State* L) { return lua_getextraspace(L); }

bool Process::has_handler(int sig) const { return sig > 0 && sig < 32 && handlers_[sig] != LUA_NOREF; }

int Process::next_deliverable() const {
  // The lowest set bit (bit 0 is never a signal); most of the time none is.
  SignalSet ready = pending_ & ~in_handler_ & ~SignalSet{1};
  return ready ? std::countr_zero(ready) : 0;
}

std::string Process::waiting_for() const {
  if (frames_.empty()) return {};
  return frames_.front().blocker.describe();
}

bool Process::too_long_without_yielding() const {
  return kernel_.now() - resumed_at_ > kernel_.config().yield_limit;
}

void Process::note_hook_yield(lua_State* L, const lua_Debug* ar) {
  bool calls = (lua_gethookmask(L) & LUA_MASKCALL) != 0;
  replay_co_ = calls ? L : nullptr;
  replay_ci_ = calls ? ar->i_ci : nullptr;
}

bool Process::replayed_call(const lua_Debug* ar) {
  replay_co_ = nullptr;
  return (ar->event == LUA_HOOKCALL || ar->event == LUA_HOOKTAILCALL) && ar->i_ci == replay_ci_;
}

}  // namespace moonbox
