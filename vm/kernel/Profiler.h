// Profiler: per process, each function's call count and its self and total
// time, as CraftOS-PC's profiler shows them. Times are the process's own
// running time: the clock stops between its slices, so a process that
// waits for events is not charged for the wait.
//
// It rides on the process's one hook (Hooks.cpp) with call and return
// events, only while it is on: off, no hook is installed for it, and a
// process runs as fast as without a profiler.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

struct lua_State;
struct lua_Debug;

namespace moonbox {

// One function of a profile (closures of one function are added together).
struct ProfileRow {
  std::string function;  // its name where the caller knows it, else "?"
  std::string source;    // the chunk's name without its '@', or "[C]"
  int line = 0;          // where it is defined (0 for C functions)
  std::uint64_t calls = 0;
  double self = 0;   // seconds in it, not in what it called
  double total = 0;  // seconds in it and in what it called
};

// A call being timed on a coroutine's stack.
struct ProfileFrame {
  const void* function;
  double start;     // profile clock at the call
  double children;  // seconds spent in the calls it made
};

class Profile {
 public:
  Profile();
  // The process's slice begins and ends: the clock runs only in between.
  void slice_began();
  void slice_ended();
  // From the hook, on the process's own thread.
  void call(lua_State* L, lua_Debug* ar, bool tail);
  void ret(lua_State* L, lua_Debug* ar);
  // The functions seen so far, the most self time first.
  std::vector<ProfileRow> rows() const;
  // Seconds of the process's running time since the profile began (the
  // profile's clock).
  double elapsed() const;

 private:
  void finish_top(std::vector<ProfileFrame>& stack, double now);

  std::unordered_map<lua_State*, std::vector<ProfileFrame>> stacks_;  // per coroutine
  std::unordered_map<const void*, ProfileRow> functions_;                       // per function value
  std::unordered_map<const void*, int> active_;  // its calls on the stacks now (recursion)
  double began_ = 0;           // steady seconds when the profile began
  double outside_ = 0;         // seconds spent outside slices since then
  double paused_at_ = 0;       // when the last slice ended (outside one)
  bool in_slice_ = false;
};


}  // namespace moonbox
