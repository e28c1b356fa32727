// Computer: one emulated computer. It owns its id, its label, its terminal,
// its file system and its kernel (the process table), boots init and a
// program, and ends its processes when it goes down. The window, the
// headless runner and the tests all drive a Computer; several may run side
// by side, each with its own data directory.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/kernel/ChromeTrace.h"
#include "vm/machine/Console.h"
#include "vm/machine/HttpClient.h"
#include "vm/kernel/Kernel.h"
#include "vm/kernel/KernelHost.h"
#include "vm/machine/Network.h"
#include "vm/machine/Peripheral.h"
#include "vm/machine/Rednet.h"
#include "vm/machine/Redstone.h"
#include "vm/machine/Terminal.h"
#include "vm/machine/Vfs.h"

namespace moonbox {

class Modem;
class World;

struct ComputerConfig {
  int id = 0;
  std::string data_dir = ".";   // the root of its file system (a host directory)
  std::string rom_dir = "rom";  // mounted read-only at /rom
  std::uintmax_t disk_limit = defaults::kDiskLimit;
  std::string trace_file;       // "" = none; else every trace entry, as trace_format says
  std::string trace_format = "jsonl";  // "jsonl" (a JSON object a line) or "chrome" (trace events)
  KernelConfig kernel;
  // Its http API: on or off, the rules, the limits (--http-allow ...).
  std::shared_ptr<const HttpConfig> http = std::make_shared<const HttpConfig>();
  // The emulator it belongs to (other computers, floppies, printouts); null
  // for a computer on its own, whose modems then reach only each other.
  World* world = nullptr;
};

// What boot() starts besides init.
struct BootRequest {
  std::string mode = "gui";        // init's argument when there is no program: "gui" or "headless"
  std::string program;             // host path of PROGRAM.lua, or empty for the shell
  std::vector<std::string> args;   // its arguments
};

class Computer final : public KernelHost {
 public:
  // console: where print goes; nullptr for the computer's own terminal.
  explicit Computer(ComputerConfig config, Console* console = nullptr);
  ~Computer() override;
  Computer(const Computer&) = delete;
  Computer& operator=(const Computer&) = delete;

  int id() const { return config_.id; }
  // The label, shared by every process and kept in the data directory across
  // boots. CC's rules: printable characters only, at most 32 of them.
  const std::optional<std::string>& label() const { return label_; }
  void set_label(std::optional<std::string> label);

  Terminal& terminal() { return terminal_; }
  // The terminal p writes to: the computer's, a virtual one (a multishell
  // tab, a monitor), or a blank one once p's terminal has closed.
  Terminal& terminal_of(const Process& p);
  // Virtual terminal `id` (Kernel::open_terminal), or null.
  Terminal* virtual_terminal(int id);
  Vfs& vfs() { return vfs_; }
  Console& console() { return *console_; }
  Kernel& kernel() { return *kernel_; }
  Redstone& redstone() { return redstone_; }
  // The host (the debugger) sets an input: every process gets a "redstone"
  // event, as every coroutine of a CC computer does.
  void set_redstone_input(int side, int strength);

  // ---- peripherals, by name: a side ("left") or a name ("computer_2").
  // attach fires "peripheral" and detach "peripheral_detach" in every
  // process, as in CC; both save the computer's configuration, so that the
  // same devices come back at the next boot.
  bool attach(const std::string& name, std::unique_ptr<Peripheral> p, std::string argument = {});
  bool detach(std::string_view name);
  Peripheral* peripheral(std::string_view name);
  // The same, as a strong reference: what a binding holds while it runs Lua
  // that may detach the device (peripheral.call).
  std::shared_ptr<Peripheral> peripheral_ref(std::string_view name);
  std::size_t peripheral_count() const { return peripherals_.size(); }
  // Names in CC's order: the six sides first, then the rest sorted.
  std::vector<std::string> peripheral_names() const;
  std::vector<Modem*> modems();
  // Runs the devices' timed work (speakers) and writes the configuration
  // if what is attached changed.
  void tick();
  // When a device's timed work is next due (kernel time); infinity for never.
  double next_device_tick() const;

  // Where the computer is (CC's block coordinates), kept in its
  // configuration; none by default. Modem messages between two computers
  // with positions carry their distance (and wireless range applies).
  const std::optional<Position>& position() const { return position_; }
  void set_position(std::optional<Position> p) {
    position_ = p;
    config_dirty_ = true;
  }

  World* world() { return config_.world; }
  Network& network();
  Rednet& rednet() { return rednet_; }
  // The network outside (CC's http API): its processes' requests, sockets
  // and listeners.
  HttpClient& http() { return *http_; }
  // Posts what the network brought (http_success, websocket_message...) to
  // the processes that asked; between slices, on the world's thread.
  void deliver_network() { http_->deliver(*kernel_); }
  bool network_arrived() const { return http_->has_arrivals(); }
  // A system event for every process that listens: every live process but
  // one waiting for a child (shell.run's caller hears events again once its
  // child has ended, as a CC program does when shell.run returns).
  void post_to_all(std::string_view name, std::string_view payload);
  // The data directory of the emulator's shared things (floppies,
  // printouts): the world's, or the state directory for a lone computer.
  std::filesystem::path shared_dir() const;

  // Starts init (pid 1), and the program, if any, as its child running as
  // `user` in the foreground.
  Status boot(const BootRequest& req);
  int program_pid() const { return program_pid_; }
  bool program_done() const { return program_done_; }
  int program_status() const { return program_status_; }

  // Runs the kernel until done() or the kernel time reaches `until`; sleeps
  // while nothing is ready.
  void run_until(const std::function<bool()>& done, double until);
  // Sends each signal in turn to every process but init, giving them `grace`
  // seconds to end between signals.
  void end_processes(const std::vector<int>& signals, double grace);

  // Where the computer keeps what is not a file of its own (the label): a
  // directory inside the data directory that programs cannot reach.
  std::filesystem::path state_dir() const;

  // ---- KernelHost: what its kernel asks of it
  int host_id() const override { return config_.id; }
  std::optional<ProgramText> read_program(std::string_view path, std::string_view cwd) override;
  std::optional<std::string> find_directory(std::string_view path, std::string_view cwd) override;
  void terminal_opened(int id, int width, int height) override;
  void terminal_closed(int id) override;
  bool terminal_changed(int id) override;
  void report_error(int pid, int tty, std::string_view text) override;

 private:
  ComputerConfig config_;
  Terminal terminal_;
  Vfs vfs_;
  std::unique_ptr<Console> own_console_;
  Console* console_;
  std::optional<std::string> label_;
  Redstone redstone_;
  std::FILE* trace_file_ = nullptr;
  std::unique_ptr<ChromeTraceWriter> chrome_trace_;
  int program_pid_ = 0;
  bool program_done_ = false;
  int program_status_ = 0;
  std::map<int, std::unique_ptr<Terminal>> virtual_terminals_;  // outlive the kernel's processes
  Terminal detached_;  // where processes of a closed terminal write
  std::unique_ptr<Kernel> kernel_;  // it goes after the devices, before the rest
  Rednet rednet_{*this};
  std::unique_ptr<Network> own_network_;  // without a world
  std::unique_ptr<NetServices> own_net_services_;  // without a world
  std::unique_ptr<HttpClient> http_;
  struct Attached {
    std::string name;
    std::shared_ptr<Peripheral> device;
  };
  std::vector<Attached> peripherals_;  // last: they go first, while the kernel still stands
  bool loading_ = false;               // attaching what the configuration lists
  // What is attached changed since the configuration was written: it is
  // written once at the end of the computer's turn (tick) or when it goes,
  // not at every attach (2,000 attaches would be 2,000 rewrites).
  bool config_dirty_ = false;
  std::optional<Position> position_;
  void load_configuration();
  void save_configuration();
};

bool read_host_file(const std::string& path, std::string& out);

}  // namespace moonbox
