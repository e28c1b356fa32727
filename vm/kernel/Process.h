// Process: one moonbox process, with its own lua_State.
//
// A process owns a Lua state (with a counting allocator and quota), the
// frames it is running (the main coroutine and any signal handlers running on
// top of it), its mailbox and its signal dispositions. Its fields are
// private: the kernel and the scheduler change them in whole steps (deliver,
// take_event, block, exit...), so that an invariant such as "heap + queued
// bytes <= quota" has one place that keeps it. The Lua bindings read a
// process through the accessors and act through the kernel.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/kernel/Blocker.h"
#include "vm/kernel/Debugger.h"
#include "vm/kernel/Mailbox.h"
#include "vm/kernel/Memory.h"
#include "vm/kernel/Profiler.h"
#include "vm/kernel/Signals.h"

struct lua_State;

namespace moonbox {

class Preempter;

class Kernel;
class Scheduler;

enum class ProcState { Ready, Running, Blocked, Stopped, Zombie };
const char* proc_state_name(ProcState s);

// A coroutine the kernel resumes: the main chunk, or a signal handler.
struct Frame {
  lua_State* co = nullptr;
  int ref = -2;    // registry ref that anchors co in the process's state
  int nargs = 0;   // arguments waiting on co's stack for its first resume
  int signal = 0;  // 0 for the main coroutine, else the handler's signal
  Blocker blocker; // what the frame waits for, when it is blocked
};


class Process {
 public:
  Process(Kernel& kernel, int pid, int ppid, std::string name, std::string user, std::string cwd,
          std::size_t memory_limit, std::size_t queue_capacity);
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  // The process that owns L (any thread of its state).
  static Process& from(lua_State* L) { return **static_cast<Process**>(lua_extraspace(L)); }
  static void* lua_extraspace(lua_State* L);

  Kernel& kernel() const { return kernel_; }
  int pid() const { return pid_; }
  int ppid() const { return ppid_; }
  const std::string& name() const { return name_; }
  const std::string& user() const { return user_; }
  bool is_root() const { return user_ == "root"; }
  const std::string& cwd() const { return cwd_; }
  // Where require resolves relative module paths: the program's directory,
  // or the working directory for a process started from a string.
  const std::string& module_dir() const { return program_dir_.empty() ? cwd_ : program_dir_; }
  // The terminal the process writes to and reads from: 0 is the computer's,
  // others are virtual terminals (Kernel::open_terminal).
  int tty() const { return tty_; }
  // The device whose method runs now (peripheral.call), kept for the Lua
  // layer as an opaque pointer: the kernel knows no devices.
  void* calling_device() const { return calling_device_; }
  void set_calling_device(void* device) { calling_device_ = device; }
  ProcState state() const { return state_; }
  bool alive() const { return state_ != ProcState::Zombie; }
  const MemoryAccount& memory() const { return memory_; }
  // Host-side things held for the process (an http response's body) are
  // charged here too.
  MemoryAccount& memory() { return memory_; }
  const Mailbox& mailbox() const { return mailbox_; }
  const std::vector<int>& children() const { return children_; }
  double cpu_time() const { return cpu_time_; }
  double started_at() const { return started_at_; }
  bool at_breakpoint() const { return at_breakpoint_; }
  // Why it last stopped for the debugger ("breakpoint", "step", "pause"),
  // and how many times it has (a new stop is a new number).
  const std::string& stop_reason() const { return stop_reason_; }
  const std::string& stop_text() const { return stop_text_; }
  std::uint64_t stop_count() const { return stop_count_; }
  // The debugger's kept tables (Debugger.cpp) and the state's main thread.
  int kept_table_ref() const { return kept_ref_; }
  int snapshot_ref() const { return snapshot_ref_; }
  lua_State* main_thread() { return L_; }
  // The coroutine its top frame runs in (the main chunk's, or a handler's).
  lua_State* top_coroutine() const { return frames_.empty() ? nullptr : frames_.back().co; }
  std::size_t frame_count() const { return frames_.size(); }
  // What the main coroutine waits for ("" when it does not), and the name
  // of the blocking call alone (null when it does not).
  std::string waiting_for() const;
  const char* waiting_call() const { return frames_.empty() ? nullptr : frames_.front().blocker.name(); }
  // The running frame's blocker, for the binding that completes the call.
  const Blocker& blocker() const { return frames_.back().blocker; }
  bool has_handler(int sig) const;
  // Filled in when the process becomes a zombie.
  int exit_status() const { return exit_status_; }
  int exit_signal() const { return exit_signal_; }
  const std::string& error() const { return error_; }
  const std::string& traceback() const { return traceback_; }

  // lua_close is running: no binding may use the kernel.
  bool closing() const { return closing_; }
  // Closes the Lua state, if it is open, and gives its memory back.
  void close_state();
  // Something wants the process back in the kernel soon (exit, stop, a
  // signal to itself): a binding that can yield should.
  bool needs_attention() const { return attention_; }
  // The yield protocol between the kernel and the sandbox's
  // coroutine.resume: a yield marked here is the kernel's, not the program's.
  void mark_kernel_yield() { kernel_yield_ = true; }
  bool kernel_yield() const { return kernel_yield_; }
  void clear_kernel_yield() { kernel_yield_ = false; }
  // The preemption hook ended its slice: it is busy, not waiting.
  void mark_preempted() { preempted_ = true; }
  // Its last slice ran out while it computed, not while it exchanged
  // messages or started processes (work under the computer's lock): another
  // worker may take it (Scheduler::should_spread).
  bool busy_computing() const { return preempted_ && !exchanging_; }
  bool preempted() const { return preempted_; }
  // A hook yields coroutine L (preemption, a breakpoint) in the frame the
  // hook's `ar` describes. When that was the first instruction of a Lua
  // function, Lua's resume takes the frame for a new call and runs its
  // call hook again (lvm.c: "first instruction (not resuming)?"): the
  // profiler counted the call twice, the debugger's step depth went one
  // too deep. The hook drops that one call event (Scheduler::preempt_hook):
  // the first event on L after the resume, a call in the same frame.
  // Only while L's hook asks for calls (else no such event comes, and a
  // later call in a reused frame must not be dropped).
  void note_hook_yield(lua_State* L, const lua_Debug* ar);
  // Whether this hook event on L is that repeated call (and forgets it:
  // only the first event after the resume may be). Inline up to the
  // compare: it is on every hook event's path.
  bool repeated_call(lua_State* L, const lua_Debug* ar) { return replay_co_ == L && replayed_call(ar); }
  // L's hook no longer asks for calls.
  void forget_hook_yield(lua_State* L) {
    if (replay_co_ == L) replay_co_ = nullptr;
  }
  // A program hook (debug.sethook) was set on one of its coroutines: the
  // preemption hook must give it back instead of removing itself.
  void mark_program_hooks() { program_hooks_ = true; }
  bool program_hooks() const { return program_hooks_; }
  bool profiling() const { return profiling_; }
  Profile* profile() const { return profile_.get(); }
  // The preemption hook's questions.
  double slice_deadline() const { return slice_deadline_; }
  bool exit_pending() const { return exit_requested_.has_value(); }
  // Code that cannot yield has run for longer than the kernel allows.
  bool too_long_without_yielding() const;

 private:
  friend class Kernel;
  friend class Scheduler;
  friend class Debugger;

  Frame& top() { return frames_.back(); }
  // The lowest pending signal that may run now, or 0.
  int next_deliverable() const;

  Kernel& kernel_;
  void* calling_device_ = nullptr;
  const int pid_;
  int ppid_;
  std::string name_;
  std::string user_;
  std::string cwd_;
  int tty_ = 0;
  std::string program_dir_;
  ProcState state_ = ProcState::Ready;

  lua_State* L_ = nullptr;  // the state's main thread, used only by the kernel
  MemoryAccount memory_;
  Mailbox mailbox_;
  std::vector<Frame> frames_;
  std::vector<int> children_;

  int handlers_[32];          // registry refs of signal handlers, or LUA_NOREF
  SignalSet pending_ = 0;     // handled signals waiting to run
  SignalSet in_handler_ = 0;  // signals whose handler is running (blocked)

  bool kernel_yield_ = false;
  bool attention_ = false;
  bool program_hooks_ = false;
  bool stop_requested_ = false;
  std::optional<int> exit_requested_;  // status to end with
  bool closing_ = false;
  bool at_breakpoint_ = false;
  // the debugger's (Debugger.cpp)
  StepMode step_ = StepMode::None;
  lua_State* step_co_ = nullptr;      // the coroutine a step began in
  int step_depth_ = 0;                // and its depth then
  lua_State* stopped_co_ = nullptr;   // the coroutine it stopped in (suspended while it is stopped)
  std::string stop_reason_;
  int stop_line_ = 0;                 // the line it stopped at (a hook's yield leaves the one before)
  std::string stop_text_;             // an uncaught error's message when it stopped on it
  // Stopped on its uncaught error (the debugger asked): the message and
  // traceback it ends with when continued.
  std::optional<std::pair<std::string, std::string>> pending_failure_;
  std::uint64_t stop_count_ = 0;
  // Its profile (Profiler.h), kept when profiling stops so that it can be read.
  std::unique_ptr<Profile> profile_;
  bool profiling_ = false;
  int kept_ref_ = -2;                 // LUA_NOREF: the tables a debugger expanded during this stop
  // The top frame's locals as the line hook saw them ({{name, value}...}),
  // LUA_NOREF when not stopped by it: after a hook's yield, Lua's view of
  // that frame is one instruction early, and misses a local declared by
  // the line before.
  int snapshot_ref_ = -2;
  // Which chunks (by their source string) have breakpoints, as of a
  // generation of the debugger's breakpoints: looked up at every call.
  std::vector<std::pair<const void*, bool>> bp_sources_;
  std::uint64_t bp_generation_ = 0;
  int stop_signal_ = kSigSTOP;  // what stopped it, for process_stopped
  bool job_stopped_ = false;    // stopped by Ctrl+Z with its job: continues with the job's leader
  int job_foreground_ = 0;      // a job's leader: who had the terminal when Ctrl+Z stopped it
  bool in_run_queue_ = false;
  bool dump_pending_ = false;     // a core-dumping signal came while it ran on another worker
  Preempter* preempter_ = nullptr;  // the one of the worker running its slice
  bool in_kernel_wait_ = false;     // in wait_until_back
  double ready_since_ = 0;          // when it joined the run queue (several workers)
  bool preempted_ = false;          // its last slice ran out (it is busy, not waiting)
  bool replayed_call(const lua_Debug* ar);  // repeated_call, for replay_co_'s event
  lua_State* replay_co_ = nullptr;  // note_hook_yield: the coroutine whose resume repeats a call hook
  const void* replay_ci_ = nullptr; // and the frame (Lua's CallInfo, compared, never read)
  std::uint32_t slice_messages_ = 0;  // remote events it sent or took in its slice so far (a spawn: kExchanging)
  bool exchanging_ = false;           // its last slice counted kExchanging or more of them
  int home_ = -1;                   // the worker it last ran on, or its last sender's (several workers)
  int peer_ = 0;                    // the process it last exchanged a message with
  bool giving_turn_ = false;        // sleep(0): see Scheduler::give_turn
  std::uint64_t turn_after_ = 0;    // 0, or the slice number it waits for

  double slice_deadline_ = 0;
  double resumed_at_ = 0;
  double cpu_time_ = 0;
  double started_at_ = 0;
  double blocked_since_ = 0;  // for blocked spans in timeline traces
  std::uint64_t block_gen_ = 0;
  std::size_t timers_ = 0;  // live os.startTimer timers

  int exit_status_ = 0;
  int exit_signal_ = 0;
  std::string error_;
  std::string traceback_;
};

}  // namespace moonbox
