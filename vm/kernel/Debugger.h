// Debugger: breakpoints, stepping and inspection for one computer's
// processes. A process that hits a breakpoint, ends a step or is paused
// stops as SIGTRAP stops it (traced: Stopped, at a breakpoint): its mailbox
// keeps queuing, its timers keep counting, the scheduler does not run it,
// SIGKILL still kills it, and nobody waits on it. While it is stopped, its
// stack, variables and expressions are read inside its own Lua state by
// whoever holds the kernel (the DAP server, the window), never copied into
// another process.
//
// The line hook that finds breakpoints is installed only while there is a
// breakpoint or a process steps: with none, processes run without it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "vm/kernel/Profiler.h"

struct lua_State;
struct lua_Debug;

namespace moonbox {

class Kernel;
class Process;

struct Breakpoint {
  int id = 0;
  std::string source;         // a path, matched against chunk names (see matches_source)
  int line = 0;
  std::string condition;      // a Lua expression; "" for none
  std::string hit_condition;  // "N", ">= N", "> N", "== N" or "% N"; "" for none
  std::string user;           // set by a program: only that user's processes stop; "": every process
};

enum class StepMode { None, In, Over, Out, Pause };

// One frame of a stopped process's stack.
struct StackFrame {
  int level = 0;
  std::string function;  // its name, or "main chunk", "?"
  std::string source;    // the chunk's name without its '@' (a path), or "=[C]"
  int line = 0;
};

// A variable as a debugger shows it: expandable when `reference` is not 0.
struct Variable {
  std::string name, value, type;
  int reference = 0;
};

class Debugger {
 public:
  explicit Debugger(Kernel& kernel) : kernel_(kernel) {}

  // ---- breakpoints (under the kernel lock)
  int add_breakpoint(Breakpoint b);
  bool remove_breakpoint(int id);
  // DAP's setBreakpoints: the breakpoints of `source` become these; their ids.
  std::vector<int> set_source_breakpoints(const std::string& source, std::vector<Breakpoint> bps);
  std::vector<Breakpoint> breakpoints() const;
  // Stop processes on uncaught errors before they end (DAP's exception
  // breakpoints).
  void set_break_on_errors(bool on) { break_on_errors_ = on; }
  bool break_on_errors() const { return break_on_errors_; }
  // Whether any process of the computer needs the line hook.
  bool wants_lines() const { return count_.load(std::memory_order_relaxed) > 0; }

  // ---- control (under the kernel lock)
  // Stops p at its next line (DAP's pause).
  bool pause(Process& p);
  // Resumes a stopped process, stepping as `mode` says (None: continue).
  bool resume(Process& p, StepMode mode);

  // ---- the profiler (under the kernel lock): p's functions' calls and
  // times (Profiler.h) from now on, a new profile each time it starts; off,
  // its hook goes and the profile stays readable.
  void set_profiling(Process& p, bool on);
  bool profiling(const Process& p) const;
  std::vector<ProfileRow> profile(const Process& p) const;
  double profile_seconds(const Process& p) const;

  // ---- inspection of a stopped process (under the kernel lock)
  std::vector<StackFrame> stack(Process& p, int max_frames = 200);
  // Scope references of frame `level`: locals, upvalues, globals.
  struct Scopes {
    int locals = 0, upvalues = 0, globals = 0;
  };
  Scopes scopes(Process& p, int level);
  // The variables behind a reference (a scope or an expanded table).
  std::vector<Variable> variables(Process& p, int reference);
  // Evaluates `expression` in frame `level`'s scope (locals, upvalues, then
  // globals); level < 0: in the process's globals. The value, or the error.
  struct Evaluation {
    bool ok = false;
    Variable value;  // its value, type and reference
    std::string error;
  };
  Evaluation evaluate(Process& p, int level, const std::string& expression);
  // Sets a local or an upvalue of frame `level` to the value of `expression`.
  Evaluation set_variable(Process& p, int scope_reference, const std::string& name, const std::string& expression);

  // ---- the process's side: its line hook (on its own thread, no lock held)
  // True when it stopped the process (it yielded: nothing may follow in the hook).
  static bool line_event(lua_State* L, Process& p, lua_Debug* ar);
  // The events p's coroutines need from the debugger now: every line while
  // p steps; with breakpoints set, calls and returns, so that lines are
  // looked at only inside functions of files that have breakpoints (a
  // loop elsewhere runs at full speed); 0 with neither.
  int mask_for(const Process& p) const;
  // Whether the function running at `level` of L (not running on another
  // thread) comes from a file with a breakpoint: its lines are watched.
  bool lines_here(lua_State* L, Process& p, int level = 0);
  // A call or a return: watch lines in the function now running, or not.
  void call_event(lua_State* L, Process& p, lua_Debug* ar);
  // p ended: its state goes.
  void forget(Process& p);

  // Lets go of what the debugger held of p's stop (it continues).
  void clear_kept(Process& p);
  // Keeps the table on top of p's main thread for this stop (popping it);
  // its reference.
  int keep_kept(Process& p);

  // True when `source` (a breakpoint's path) names chunk `chunk` (a chunk
  // name, "@/path/x.lua"): the same path, or one ending with the other at a '/'.
  static bool matches_source(const std::string& source, const char* chunk);

 private:
  bool should_break(lua_State* L, Process& p, lua_Debug* ar, std::string* reason);
  bool test_condition(lua_State* L, const Breakpoint& b, int level);
  void update_count();
  lua_State* stopped_coroutine(Process& p);
  int keep_table(Process& p, int index);  // a reference for a table at index of p's main thread

  Kernel& kernel_;
  mutable std::mutex mutex_;  // the breakpoints: read by line hooks on workers
  std::vector<Breakpoint> breakpoints_;
  std::vector<int> hits_;     // per breakpoint, by position
  int next_id_ = 1;
  std::atomic<int> count_{0};  // breakpoints + processes stepping or pausing
  std::atomic<std::uint64_t> generation_{1};  // changes with the breakpoints (the sources' cache)
  bool break_on_errors_ = false;
};

}  // namespace moonbox
