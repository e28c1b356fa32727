// Kernel: the process table, the scheduler, the clock and timers, and the
// delivery of events and signals between processes.
//
// The host calls run_for(budget) repeatedly (once per frame in the GUI); the
// kernel runs ready processes until the budget is spent or nothing is ready.
// Nothing here blocks the caller.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vm/Clock.h"
#include "vm/Console.h"
#include "vm/Process.h"
#include "vm/ServiceRegistry.h"
#include "vm/Terminal.h"
#include "vm/Trace.h"
#include "vm/ValueCodec.h"
#include "vm/Vfs.h"

namespace moonbox {

struct KernelConfig {
  std::string data_dir = ".";
  std::string rom_dir = "rom";
  std::size_t memory_limit = 16u << 20;   // per process, bytes
  std::size_t queue_capacity = 4096;      // events per mailbox
  std::size_t message_limit = 1u << 20;   // bytes per message
  std::size_t trace_capacity = 65536;     // ring buffer entries
  std::size_t disk_limit = 64u << 20;     // bytes in the data directory
  std::size_t processes_per_user = 512;   // live processes a (non-root) user may start
  std::size_t timers_per_process = 1024;  // live os.startTimer timers
  std::size_t services_per_process = 64;  // names one process may own
  double slice = 0.001;                   // seconds of CPU per slice
  double yield_limit = 10.0;              // "too long without yielding"
  int hook_count = 1000;                  // instructions between hook checks
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
};

// One row of the process table as a panel shows it.
struct ProcessRow {
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

struct SpawnResult {
  int pid = 0;               // 0 on failure
  std::string error;
};

enum class KillResult { Ok, NoSuchProcess, PermissionDenied, InvalidSignal };

class Kernel {
 public:
  Kernel(KernelConfig config, Console& console);
  // With no console given, output goes to the kernel's own terminal, the
  // way CC's print does (the emulator window).
  explicit Kernel(KernelConfig config);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // ---- host API
  SpawnResult spawn(const SpawnRequest& req);
  // Runs ready processes for at most `budget` seconds of wall time.
  void run_for(double budget);
  // True when some process is ready to run.
  bool has_ready() const { return !run_queue_.empty(); }
  // Kernel time of the next timer, or infinity.
  double next_wakeup() const;
  // ---- the debugger's scheduler controls
  bool paused() const { return paused_; }
  void set_paused(bool on) { paused_ = on; }
  // Runs exactly one slice of the next ready process (also while paused).
  // Returns the pid that ran, or 0.
  int step();
  // A copy of the process table for panels (no references into the kernel).
  std::vector<ProcessRow> snapshot() const;
  // Where a live process is (its main coroutine's traceback), for the
  // debugger's detail view; a zombie's last traceback; "" if none.
  std::string traceback(int pid);

  // Sends sig from pid `from` (0 = the host, which may signal anything but
  // PID 1).
  KillResult kill(int from, int pid, int sig);
  // Called once when any process exits, with its pid and status.
  void set_exit_listener(std::function<void(const Process&)> fn) { exit_listener_ = std::move(fn); }

  Process* find(int pid);
  const Process* find(int pid) const;
  const std::map<int, std::unique_ptr<Process>>& processes() const { return procs_; }
  std::size_t live_count() const;
  double now() const { return clock_.now(); }

  // ---- the terminal: the screen model, and who gets its input
  Terminal& terminal() { return terminal_; }
  int foreground() const { return foreground_; }
  void set_foreground(int pid) { foreground_ = pid; }
  // Queues an input event (key, char, mouse_click, paste, term_resize,
  // terminate...) for the foreground process; false when there is none.
  bool post_input(std::string_view name, std::string_view payload);
  // Ctrl+C / Ctrl+\ / Ctrl+Z: a signal from the terminal to the foreground.
  void signal_foreground(int sig);
  // `stty tostop`: a background process that writes to the terminal gets
  // SIGTTOU (off by default, as on Unix).
  bool tostop() const { return tostop_; }
  void set_tostop(bool on) { tostop_ = on; }
  // os.shutdown() / os.reboot() ask the host; it decides what to do.
  enum class PowerRequest { None, Shutdown, Reboot };
  PowerRequest power_request() const { return power_request_; }
  void request_power(PowerRequest r) { power_request_ = r; }

  const KernelConfig& config() const { return config_; }
  Console& console() { return *console_; }
  Trace& trace() { return trace_; }
  ServiceRegistry& services() { return services_; }
  Vfs& vfs() { return vfs_; }

  // ---- used by the Lua bindings (vm/lib)
  Encoder& encoder() { return encoder_; }
  std::string& scratch() { return scratch_; }
  std::vector<int>& decode_frames() { return decode_frames_; }
  std::vector<std::string>& name_scratch() { return name_scratch_; }
  // The chunks of rom/bios/ (colors, keys, term, read, io...) as bytecode,
  // by global name. A process loads one the first time it uses that global.
  const std::string* bios_chunk(std::string_view name) const;
  // Queues an event for `to`; false when it has no live target, its queue is
  // full, or its memory quota cannot hold the message.
  bool send_event(int from, int to, EventKind kind, std::string_view name, std::string_view payload);
  bool register_service(Process& p, std::string_view name);
  bool unregister_service(Process& p, std::string_view name);
  // Marks a received event in the trace.
  void note_received(const Process& p, const Event& e);
  // 0 when p already has the most timers it may have.
  int start_timer(Process& p, double seconds);
  // Live processes of a user, for the per-user limit.
  std::size_t processes_of(std::string_view user) const;
  void cancel_timer(Process& p, int id);
  // Removes a zombie child from the table and returns its status.
  int reap(Process& parent, int child);
  // Re-checks p's wait after something it might wait for happened.
  void wake_if_satisfied(Process& p);
  bool wait_satisfied(const Process& p, const Wait& w) const;
  // Records the wait of p's current frame and returns it, with a fresh
  // generation; the caller fills it in and yields.
  Wait& begin_wait(Process& p, WaitKind kind, double timeout);

 private:
  Kernel(KernelConfig config, Console* console);
  // scheduler (Scheduler.cpp)
  void make_ready(Process& p);
  Process* next_ready();
  void run_slice(Process& p);
  void after_resume(Process& p, int status, int nres);
  void settle(Process& p);
  bool push_handler_frame(Process& p, int sig);
  // signals (SignalDelivery.cpp)
  void deliver_signal(Process& p, int sig, int from);
  void apply_default(Process& p, int sig, int from);
  void stop_process(Process& p, bool breakpoint);
  void continue_process(Process& p);
  std::string traceback_of(Process& p);
  // lifecycle (Kernel.cpp)
  void finalize_exit(Process& p, int status, std::string error, std::string traceback, int signal = 0);
  void notify_parent(Process& child);
  void notify_parent_stopped(Process& child, int sig);
  // The terminal goes back to p's parent when p stops or exits.
  void release_foreground(Process& p);
  static void install_hook(lua_State* L, int count);
  std::string compile_chunk(const std::string& source, const std::string& chunkname);
  void load_bios();
  // timers (Timers.cpp)
  void fire_due_timers();
  void schedule_wait_deadline(Process& p);

  struct TimerEntry {
    double deadline;
    std::uint64_t seq;
    bool os_timer;      // os.startTimer; otherwise a wait deadline
    int pid;
    std::uint64_t id;   // timer id or wait generation
    bool operator>(const TimerEntry& o) const {
      return deadline != o.deadline ? deadline > o.deadline : seq > o.seq;
    }
  };

  KernelConfig config_;
  Console* console_;
  Clock clock_;
  Trace trace_;
  ServiceRegistry services_;
  Vfs vfs_;
  Encoder encoder_;
  std::string scratch_;
  std::vector<int> decode_frames_;
  std::vector<std::string> name_scratch_;
  std::map<std::string, std::string, std::less<>> bios_chunks_;
  std::map<int, std::unique_ptr<Process>> procs_;
  std::deque<int> run_queue_;
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> timers_;
  std::unordered_map<std::uint64_t, int> os_timers_;  // live timer id -> pid
  std::uint64_t timer_seq_ = 0;
  std::uint64_t next_timer_id_ = 0;
  std::uint64_t next_event_id_ = 0;
  int next_pid_ = 1;
  Process* current_ = nullptr;
  Terminal terminal_;
  std::unique_ptr<Console> own_console_;
  int foreground_ = 0;
  PowerRequest power_request_ = PowerRequest::None;
  bool paused_ = false;
  bool tostop_ = false;
  std::function<void(const Process&)> exit_listener_;
};

}  // namespace moonbox
