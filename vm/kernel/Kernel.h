// Kernel: one computer's process table, and the operations that change it.
//
// Every rule about processes lives here or in the objects it owns: pids,
// users and permissions, limits, the delivery of events and signals, spawn
// and exit. Each operation does a whole step (deliver: encode check, queue,
// account, trace, wake) and answers with a Result; the Lua bindings in vm/lua
// only convert arguments and results. The Scheduler (run queue, slices,
// timers, blockers) is the kernel's, and the host drives it through
// run_for(budget). Nothing here blocks the caller for long.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/kernel/Clock.h"
#include "vm/kernel/Defaults.h"
#include "vm/kernel/KernelHost.h"
#include "vm/kernel/KernelLock.h"
#include "vm/kernel/Process.h"
#include "vm/kernel/Result.h"
#include "vm/kernel/Scheduler.h"
#include "vm/kernel/ServiceRegistry.h"
#include "vm/kernel/Trace.h"
#include "vm/kernel/ValueCodec.h"

struct lua_Debug;

namespace moonbox {

struct KernelConfig {
  std::size_t memory_limit = defaults::kMemoryLimit;  // per process: heap + queued messages
  std::size_t queue_capacity = defaults::kQueueCapacity;
  std::size_t message_limit = defaults::kMessageLimit;
  std::size_t trace_capacity = defaults::kTraceCapacity;
  std::size_t processes_per_user = defaults::kProcessesPerUser;
  std::size_t timers_per_process = defaults::kTimersPerProcess;
  std::size_t services_per_process = defaults::kServicesPerProcess;
  double slice = defaults::kSlice;
  double yield_limit = defaults::kYieldLimit;
  int hook_count = defaults::kHookCount;
  // Threads that run ready processes. 1: the host's thread, a single,
  // repeatable schedule, and no locking at all; more: a WorkerPool's threads
  // (see Scheduler), and the host's thread runs no Lua.
  int workers = 1;
  // Several workers: the threads they run on, shared with other kernels (a
  // world's); none: the kernel makes a pool of its own.
  std::shared_ptr<WorkerPool> shared_workers;
  // Builds a new process's global environment, in a protected call on its
  // state (may raise). The computer sets the sandbox here; the kernel never
  // includes the bindings. Null: only what Lua's base library gives.
  void (*open_environment)(lua_State* L) = nullptr;
  // Compiles a process's main chunk (CC's dialect, from the layer above),
  // pushing it as luaL_loadbufferx does. Null: plain Lua text.
  int (*load_program)(lua_State* L, std::string_view source, const char* chunkname) = nullptr;
  // A program's own hook (debug.sethook) shares Lua's one hook per coroutine
  // with preemption. program_hook runs it for an event of coroutine L;
  // program_hook_mask gives the events (and count) L's program asked for.
  // Null: programs have no hooks.
  void (*program_hook)(lua_State* L, lua_Debug* ar) = nullptr;
  int (*program_hook_mask)(lua_State* L, int* count) = nullptr;
};

struct SpawnRequest {
  std::string name;          // shown in the process table
  std::string source;        // Lua text of the main chunk
  std::string chunkname;     // for error messages; defaults to name
  std::string args;          // encoded argument values (ValueCodec)
  int parent = 0;            // 0 for the host
  std::string user = "root";
  std::string cwd = "/";
  std::size_t memory_limit = 0;  // 0 = the kernel's default
  int tty = 0;                   // the terminal it gets (0: the computer's)
  std::string arg0;              // arg[0]; "" = the name
  std::string program_dir;       // where require looks for relative module paths; "" = cwd
};

// What a process asks to start: a file of the virtual file system, or source.
struct ProgramSource {
  std::string_view path;     // used when source is null
  const char* source = nullptr;
  std::size_t source_len = 0;
  std::string_view name;     // for a source: the process's name
  std::string_view arg0;     // arg[0] when it is not the name (a shell passes the command typed)
};

// One row of the process table as a panel shows it.
struct ProcessRow {
  int computer = 0;  // the id of the computer it runs on
  int pid = 0, ppid = 0;
  std::string name, user;
  ProcState state = ProcState::Ready;
  std::string waiting;        // what a blocked process waits for
  double cpu_time = 0;        // seconds
  std::size_t memory = 0, memory_limit = 0;
  std::size_t queue = 0;      // events in its mailbox
  std::vector<std::string> services;
  std::vector<int> handlers;  // signals with a handler
  bool breakpoint = false;
  int exit_status = 0;
  std::string error;
};

using SpawnResult = Result<int>;  // the new pid
struct Done {};                   // an operation with nothing to return
using Status = Result<Done>;

// How take_event shows an event to Lua.
enum class EventView {
  Remote,  // receiveEvent: event, param, sender
  Os,      // os.pullEvent: name, values...; a remote event as "remote_event", {type=, sender=, data=}
};

class Kernel {
 public:
  Kernel(KernelConfig config, KernelHost& host);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // ---- the host
  SpawnResult spawn(const SpawnRequest& req);
  void run_for(double budget) { scheduler_.run_for(budget); }
  bool has_ready() const { return scheduler_.has_ready(); }
  double next_wakeup() const { return scheduler_.next_wakeup(); }
  Scheduler& scheduler() { return scheduler_; }
  // A copy of the process table for panels (no references into the kernel).
  std::vector<ProcessRow> snapshot() const;
  // Where a live process is (its main coroutine's traceback), for the
  // debugger's detail view; a zombie's last traceback; "" if none.
  std::string traceback(int pid);
  // Called once when any process exits.
  void set_exit_listener(std::function<void(const Process&)> fn) { exit_listener_ = std::move(fn); }
  // Called with each span a process spent running (a slice) or blocked, for
  // timeline traces. Off (and free) unless set.
  using SpanListener = std::function<void(int pid, double start, double end, bool running)>;
  void set_span_listener(SpanListener fn) { span_listener_ = std::move(fn); }
  // While a process is stuck inside a C call (several workers: the others
  // go on), the kernel publishes its process table every 50 ms, on its
  // thread, for a host that cannot take the kernel meanwhile.
  struct BusyReport {
    int computer = 0;
    int pid = 0;          // the process inside the C call
    double seconds = 0;   // for how long
    std::vector<ProcessRow> rows;
  };
  using BusyListener = std::function<void(const BusyReport&)>;
  void set_busy_listener(BusyListener fn) { busy_listener_ = std::move(fn); }
  void publish_busy(int pid, double seconds);
  // Meanwhile, the other computers of its world have turns: `fn(budget)` runs
  // them for about `budget` seconds, on the host's thread, while nothing of
  // this computer runs but that C call (the World sets it).
  using StuckTurn = std::function<void(double budget)>;
  void set_stuck_turn(StuckTurn fn);

  // ---- the process table. A pid is exact: any number that is not the pid
  // of a process in the table (0, negatives, >= 2^31) finds nothing.
  Process* find(std::int64_t pid);
  const Process* find(std::int64_t pid) const;
  const std::map<int, std::unique_ptr<Process>>& processes() const { return procs_; }
  std::size_t live_count() const;
  double now() const {
    double t = clock_.now();
    last_clock_.store(t, std::memory_order_relaxed);
    return t;
  }
  // The kernel time as last read, for what needs no fresh reading: the time
  // of a trace fact, a blocker's check on the way. Reading the clock once a
  // step instead of at every fact saves most of a message's clock reads.
  double fact_time() const { return last_clock_.load(std::memory_order_relaxed); }

  // ---- signals. `from` 0 is the host, which may signal anything but PID 1.
  Status kill(int from, std::int64_t pid, int sig);
  // Sets sig's handler (a registry ref in p's state, or LUA_NOREF for the
  // default action); returns the ref it replaces, for the caller to free.
  int set_handler(Process& p, int sig, int ref);

  // ---- events
  // A remote event (system.ipc): false when the target is not a live
  // process, its queue is full, or its quota cannot hold the message.
  // `whole`, when given, holds name then payload (payload is its end, as the
  // encoder lays out an event): the queued event takes that buffer instead
  // of copying it.
  Status send_event(int from, std::int64_t to, std::string_view name, std::string_view payload,
                    std::string* whole = nullptr);
  Status send_service_event(int from, std::string_view service, std::string_view name, std::string_view payload,
                            std::string* whole = nullptr);
  // A system event from the kernel or the host (timer, input, process_complete).
  Status post_event(int to, std::string_view name, std::string_view payload);
  // os.queueEvent: a system event from p to itself.
  Status queue_own_event(Process& p, std::string_view name, std::string_view payload);
  // Pushes mailbox entry i onto L as `view` shows it and removes it, then
  // returns the number of values pushed. The entry is removed only after
  // decoding succeeded, so a failure (not enough memory) loses nothing.
  int take_event(lua_State* L, Process& p, std::size_t i, EventView view);
  // Drops mailbox entry i unread (pullEvent's filter skipped it).
  void discard_event(Process& p, std::size_t i);
  // Under the kernel lock: true when no other thread changes p's quota
  // meanwhile, so a charge needs no atomic read-modify-write (two of them a
  // message cost several percent of a stream on 2 workers). Its Lua is not
  // running, or runs on this thread; a slice starts and ends under the lock.
  bool alone_with(const Process& p) const;

  // ---- services
  Status register_service(Process& p, std::string_view name);
  bool unregister_service(Process& p, std::string_view name);
  std::optional<int> lookup_service(std::string_view name) const { return services_.lookup(name); }
  ServiceRegistry& services() { return services_; }

  // ---- blocking: the calling frame waits for b (seconds < 0: no
  // deadline); the binding then yields to the kernel.
  template <class B>
  void block(Process& p, B b, double seconds) {
    double deadline = seconds < 0 ? Blocker::kNever : now() + seconds;
    p.top().blocker = Blocker(std::move(b), deadline, ++p.block_gen_);
  }
  // The frame's wait is over (its binding completed the call).
  void unblock(Process& p) { p.top().blocker = Blocker{}; }

  // ---- process lifecycle, as a process asks for it
  SpawnResult spawn_child(Process& parent, const ProgramSource& program, std::string_view args);
  // wait(pid): Ok when pid is a child of p; NotChild otherwise.
  Status check_child(const Process& p, std::int64_t pid) const;
  // Removes a zombie child from the table and returns its status.
  int reap(Process& parent, int child);
  // process.exit(): p ends with `status` as soon as it is back in the kernel.
  void request_exit(Process& p, int status);
  Status change_dir(Process& p, std::string_view path);
  // setuser(pid, user): root, for itself or its children.
  Status set_user(Process& self, std::int64_t pid, std::string_view user);
  Result<int> start_timer(Process& p, double seconds) { return scheduler_.start_timer(p, seconds); }
  void cancel_timer(Process& p, std::int64_t id) { scheduler_.cancel_timer(p, id); }
  // os.setAlarm: an "alarm" event after `seconds`; ids of their own.
  Result<int> start_alarm(Process& p, double seconds) {
    return scheduler_.start_timer(p, seconds, Scheduler::TimerKind::Alarm);
  }
  void cancel_alarm(Process& p, std::int64_t id) { scheduler_.cancel_timer(p, id, Scheduler::TimerKind::Alarm); }

  // ---- terminals and who gets their input. The kernel knows terminals by
  // id (0: the machine's own) for job control; the machine keeps their text.
  int foreground() const { return foreground_; }
  // The host gives the terminal to pid.
  void set_foreground(int pid) { foreground_ = pid; }
  // The foreground of p's own terminal (the computer's, or a virtual one).
  int foreground_of(const Process& p) const;
  // A process asks for its terminal: root, or the process that holds the
  // terminal or an ancestor of it (a shell handing the terminal to its job
  // and back).
  Status set_foreground(Process& self, std::int64_t pid);
  // Queues an input event for the foreground process; false when none.
  bool post_input(std::string_view name, std::string_view payload);
  // Ctrl+C / Ctrl+\ / Ctrl+Z: a signal from the terminal to the foreground;
  // when that process has given its focus to a virtual terminal (multishell),
  // to that terminal's foreground instead.
  void signal_foreground(int sig);

  // ---- virtual terminals: a process (multishell) opens terminals of its
  // own, starts children on them, reads what they draw and feeds them input.
  Result<int> open_terminal(Process& owner, int width, int height);
  Status close_terminal(Process& owner, int id);
  // A device's terminal (a monitor's): opened by the computer, not by a
  // process, so every process of the computer may start children on it,
  // feed it input and focus it, as the `monitor` program does.
  int open_device_terminal(int width, int height);
  void close_device_terminal(int id);
  bool is_device_terminal(int id) const;
  // True when `owner` opened terminal `id`, or it is a device's.
  bool may_use_terminal(const Process& owner, int id) const;
  SpawnResult spawn_on_terminal(Process& owner, int id, const ProgramSource& program, std::string_view args);
  // Queues an input event for the foreground of terminal `id`.
  Status post_to_terminal(Process& owner, int id, std::string_view name, std::string_view payload);
  // Ctrl+C and the like go on to terminal id's foreground (0: no focus).
  Status set_focus(Process& owner, int id);
  int terminal_foreground(int id) const;
  // Its owner has looked at terminal `id` (takeChanged): the next change is
  // told again (note_terminal_output).
  void terminal_seen(int id);
  // Before p writes to the terminal: with `stty tostop`, a background writer
  // gets SIGTTOU. True when p must go back to the kernel before writing.
  bool stop_for_output(Process& p);
  // A background reader gets SIGTTIN; true when p must go back to the kernel.
  bool stop_for_input(Process& p);
  bool tostop() const { return tostop_; }
  void set_tostop(bool on) { tostop_ = on; }
  // os.shutdown() / os.reboot() ask the host; it decides what to do.
  enum class PowerRequest { None, Shutdown, Reboot };
  PowerRequest power_request() const { return power_request_; }
  void request_power(PowerRequest r) { power_request_ = r; }

  const KernelConfig& config() const { return config_; }
  // The machine the kernel runs on (a Computer, for the layers above).
  KernelHost& host() { return host_; }
  // An error of p's for its user to see (an uncaught error, a core dump's
  // traceback): on p's own terminal when that is a virtual one (a multishell
  // tab), else on the console.
  void report_error(const Process& p, std::string_view text) { host_.report_error(p.pid(), p.tty(), text); }
  Trace& trace() { return trace_; }
  Encoder& encoder() { return encoder_; }
  // Breakpoints, stepping and inspection of stopped processes.
  Debugger& debugger() { return debugger_; }
  // Held by a worker while it uses the kernel (bindings, scheduling).
  KernelLock& lock() { return lock_; }

 private:
  friend class Scheduler;

  // lifecycle
  void finalize_exit(Process& p, int status, std::string error, std::string traceback, int signal = 0);
  void notify_parent(Process& child);
  void notify_parent_stopped(Process& child, int sig);
  // The terminal goes back to p's parent when p stops or exits.
  // p stopped or ended: its terminal goes to its parent when that is on the
  // same terminal. A stopping process hands it only to a running ancestor
  // that is not init (which never reads): a stopped shell keeps its terminal,
  // and what is typed waits for it to continue.
  void release_foreground(Process& p, bool stopping = false);
  // After a slice of p, when p is on a virtual terminal that changed: the
  // terminal's owner gets "terminal_changed" (id), once until it looks
  // (terminal_seen), so that multishell redraws on changes, not on a timer.
  void note_terminal_output(const Process& p);
  // Ctrl+Z: stops the foreground job, if there is one (see JobControl.cpp).
  void stop_foreground_job(Process& fg);
  // SIGCONT to a job's leader continues the processes Ctrl+Z stopped with it.
  void continue_job(Process& leader);
  std::size_t processes_of(std::string_view user) const;
  // events
  Status deliver(int from, Process* target, EventKind kind, std::string_view name, std::string_view payload,
                 std::string* whole = nullptr);
  // signals (SignalDelivery.cpp)
  void deliver_signal(Process& p, int sig, int from);
  void apply_default(Process& p, int sig, int from);
  void stop_process(Process& p, bool breakpoint);
  void continue_process(Process& p);
  std::string traceback_of(Process& p);
  // A core-dumping signal's report: console, trace; returns the traceback.
  std::string dump(Process& p, int from, int sig);

  KernelConfig config_;
  KernelHost& host_;
  Clock clock_;
  KernelLock lock_;  // before scheduler_: its workers use it until they end
  // Read by every worker (too_long_without_yielding) without the lock.
  mutable std::atomic<double> last_clock_ = 0;
  Trace trace_;
  ServiceRegistry services_;
  Encoder encoder_;
  std::vector<int> decode_frames_;
  std::map<int, std::unique_ptr<Process>> procs_;
  // find's shortcut: the process last found in each slot (pid mod its size),
  // or null. Every message looks up its receiver; the map is a few levels of
  // pointers once a computer has a hundred processes.
  std::array<Process*, 256> found_{};
  Process*& found_slot(int pid) { return found_[static_cast<std::size_t>(pid) % found_.size()]; }
  Scheduler scheduler_;
  Debugger debugger_{*this};
  std::uint64_t next_event_id_ = 0;
  int next_pid_ = 1;
  int foreground_ = 0;
  struct VirtualTerminal {
    int owner = 0;          // the process that opened it; 0 for a device's
    int foreground = 0;
    bool notified = false;  // its owner was told of a change it has not looked at yet
  };
  std::map<int, VirtualTerminal> vterms_;
  std::map<int, int> focus_;  // owner pid -> the virtual terminal it relays to
  int next_vterm_ = 1;
  int& foreground_slot(int tty);
  void hang_up_terminal(int id);
  PowerRequest power_request_ = PowerRequest::None;
  bool tostop_ = false;
  std::function<void(const Process&)> exit_listener_;
  SpanListener span_listener_;
  BusyListener busy_listener_;
};

}  // namespace moonbox
