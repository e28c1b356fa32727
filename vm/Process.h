// Process: one moonbox process, with its own lua_State.
//
// A process owns a Lua state (with a counting allocator and quota), the
// frames it is running (the main coroutine and any signal handlers running on
// top of it), its mailbox and its signal dispositions. The kernel drives it;
// the Lua bindings reach it from any of its threads through Process::from().
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "vm/Mailbox.h"
#include "vm/Memory.h"
#include "vm/Signals.h"

struct lua_State;

namespace moonbox {

class Kernel;

enum class ProcState { Ready, Running, Blocked, Stopped, Zombie };
const char* proc_state_name(ProcState s);

enum class WaitKind { None, Remote, Event, Sleep, Child };

// What a blocked frame waits for. The binding that blocked re-checks it in
// its continuation whenever the kernel resumes the frame.
struct Wait {
  WaitKind kind = WaitKind::None;
  double deadline = std::numeric_limits<double>::infinity();
  RemoteFilter remote;      // Remote: receiveEvent's filters
  std::string event;        // Event: os.pullEvent's filter ("" = any)
  bool raw = false;         // Event: pullEventRaw (no "terminate" error)
  int child = 0;            // Child: the pid waited for
  std::uint64_t gen = 0;    // tells a stale deadline timer from a live one
  bool active() const { return kind != WaitKind::None; }
};

// A coroutine the kernel resumes: the main chunk, or a signal handler.
struct Frame {
  lua_State* co = nullptr;
  int ref = -2;    // registry ref that anchors co in the process's state
  int nargs = 0;   // arguments waiting on co's stack for its first resume
  int signal = 0;  // 0 for the main coroutine, else the handler's signal
  Wait wait;
};

class Process {
 public:
  Process(Kernel& kernel, int pid, int ppid, std::string name, std::string user);
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  // The process that owns L (any thread of its state).
  static Process& from(lua_State* L) { return **static_cast<Process**>(lua_extraspace(L)); }
  static void* lua_extraspace(lua_State* L);

  Kernel& kernel;
  const int pid;
  int ppid;
  std::string name;
  std::string user;
  std::string cwd = "/";
  ProcState state = ProcState::Ready;

  lua_State* L = nullptr;  // the state's main thread, used only by the kernel
  MemoryAccount memory;
  std::vector<Frame> frames;
  Mailbox mailbox;
  std::vector<int> children;

  int handlers[32];         // registry refs of signal handlers, or LUA_NOREF
  SignalSet pending = 0;    // handled signals waiting to run
  SignalSet in_handler = 0; // signals whose handler is running (blocked)

  // Set by the hook or a blocking call just before yielding to the kernel,
  // so that a sandboxed coroutine.resume can pass the yield up.
  bool kernel_yield = false;
  // Something wants the process to yield soon (exit, stop, a self-signal).
  bool attention = false;
  bool stop_requested = false;
  std::optional<int> exit_requested;  // status to end with
  bool closing = false;     // lua_close is running finalizers
  bool at_breakpoint = false;
  int stop_signal = kSigSTOP; // what stopped it, for process_stopped
  bool in_run_queue = false;

  double slice_deadline = 0;
  double resumed_at = 0;
  double cpu_time = 0;
  double started_at = 0;
  std::uint64_t wait_gen = 0;
  std::size_t timers = 0;   // live os.startTimer timers

  // Filled in when the process becomes a zombie.
  int exit_status = 0;
  int exit_signal = 0;
  std::string error;
  std::string traceback;

  Frame& top() { return frames.back(); }
  bool alive() const { return state != ProcState::Zombie; }
  bool has_handler(int sig) const;
  // The lowest pending signal that may run now, or 0.
  int next_deliverable() const;
};

}  // namespace moonbox
