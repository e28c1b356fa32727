// Preempter: ends a slice without slowing the Lua that runs in it.
//
// With any hook installed, Lua 5.4 sends every instruction through
// luaG_traceexec (a tight loop runs about 2x slower). So a process runs with
// no hook at all, and a watchdog thread installs the preemption hook on the
// coroutine that is running when the slice's deadline passes: lua_sethook
// is made to be called asynchronously (from a signal handler, or here from
// another thread). The hook then yields to the kernel and removes itself.
//
// The watchdog only touches the coroutine the kernel says is running, under
// a mutex the kernel also holds while it changes it, so the coroutine is
// alive (it is on the resume chain) whenever the watchdog looks at it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

struct lua_State;
struct lua_Debug;

namespace moonbox {

class Clock;

class Preempter {
 public:
  // hook: installed with a count of 1 when a slice's time is up.
  Preempter(const Clock& clock, void (*hook)(lua_State*, lua_Debug*));
  // A pool thread's: each slice's arm names its kernel's clock.
  explicit Preempter(void (*hook)(lua_State*, lua_Debug*)) : hook_(hook) {}
  ~Preempter();
  Preempter(const Preempter&) = delete;
  Preempter& operator=(const Preempter&) = delete;

  // A slice starts: `running` runs until `deadline` (kernel time).
  void arm(lua_State* running, double deadline, const Clock* clock = nullptr);
  // The slice's process resumed another coroutine, or one returned.
  void switch_to(lua_State* running);
  // Something needs the process back in the kernel at once (a signal it
  // sent itself, process.exit): the hook, now.
  void poke();
  // Sets `running`'s hook to `hook` with mask and count (mask 0: no hook),
  // unless a preemption is due on it, which the hook then also asks for.
  void set_hook(lua_State* L, void (*hook)(lua_State*, lua_Debug*), int mask, int count);
  // The slice is over.
  void disarm();
  // The hook is installed for the slice that runs now (its time is up).
  bool fired();

 private:
  void watch();
  void fire(lua_State* L);  // installs the hook on L (under mutex_)

  const Clock* clock_ = nullptr;
  void (*hook_)(lua_State*, lua_Debug*);
  std::mutex mutex_;
  std::condition_variable wake_;
  lua_State* running_ = nullptr;  // null: no slice
  double deadline_ = 0;
  bool fired_ = false;            // the hook is installed for this slice (again every 2 ms until it ends)
  bool idle_ = false;             // the watchdog waits for a slice
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace moonbox
