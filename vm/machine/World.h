// World: the computers of one emulator, and what they share: the modem
// network, the floppies and the printouts. A computer is on while its
// Computer object exists; turning it off ends its processes and drops the
// object, and turning it on boots a new one from the same data directory
// (its files, label and attached devices come back).
//
// Layout of the world's directory (CraftOS-PC's): computer/<id>/ for each
// computer's files, disk/<id>/ for floppies, printouts/<id>/ for the pages
// computer <id> printed.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vm/machine/Bridge.h"
#include "vm/machine/Computer.h"
#include "vm/machine/Network.h"

namespace moonbox {

// A finished printed page, for the host to draw (as PNG).
struct PrintedPage {
  int computer = 0;
  std::string title;
  std::vector<std::string> text;     // the rows, as printed (spaces where nothing was), in black ink
  std::filesystem::path png_path;    // where the picture belongs
};

// Where speakers play (SDL audio in the window); none in headless mode.
class AudioOut {
 public:
  virtual ~AudioOut() = default;
  // Mono samples at 48 kHz in [-1, 1] from a computer's speaker, to start
  // `delay` seconds from now (a stream's next buffer starts where the last
  // one ends); sounds that overlap are mixed.
  virtual void play(int computer, const std::vector<float>& samples, double delay) = 0;
};

struct WorldConfig {
  std::filesystem::path base_dir;  // the world's directory (see above)
  // Computer 0's configuration; the others copy it, with their own data
  // directory and no trace file. Computer 0's data_dir may lie anywhere.
  ComputerConfig computer;
  std::string boot_mode = "gui";   // init's argument for a computer turned on by another
  double wireless_range = Network::kDefaultWirelessRange;  // blocks; 0: unlimited
  // The host's computer (the window's, the headless program's): its id
  // (--computer-id), unique across a bridged world.
  int host_id = 0;
  // --bridge mqtt://HOST/WORLD: this world's modems share their media with
  // every instance on that broker and world ("" : none).
  BridgeConfig bridge;
  // Where a computer's print goes (null: its own terminal). Called once
  // per boot; the World keeps what it returns.
  std::function<std::unique_ptr<Console>(int id)> console_for;
};

class World {
 public:
  explicit World(WorldConfig config);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  Network& network() { return network_; }
  // The id of the host's computer (0 unless --computer-id says otherwise).
  int host_id() const { return config_.host_id; }
  // The MQTT bridge, or null.
  Bridge* bridge() { return bridge_.get(); }
  // The network threads its computers' http APIs share.
  NetServices& net_services() { return net_services_; }
  const std::filesystem::path& base_dir() const { return config_.base_dir; }
  std::filesystem::path data_dir(int id) const;

  // Computers a program may have turned on (periphemu.create(id, "computer")):
  // each is a kernel, a terminal and a file system on the host.
  static constexpr std::size_t kMaxComputers = 1024;
  // Turns computer id on with `req` (its shell when req has no program);
  // the computer already on, if it is. Null when it cannot boot (*why).
  Computer* turn_on(int id, const BootRequest& req, std::string* why = nullptr);
  Computer* turn_on(int id) { return turn_on(id, BootRequest{config_.boot_mode, {}, {}}); }
  Computer* turn_on(int id, std::string* why) { return turn_on(id, BootRequest{config_.boot_mode, {}, {}}, why); }
  // Given to every computer's kernel, now and as they are turned on.
  void set_busy_listener(Kernel::BusyListener fn);
  // Asked from Lua (a computer peripheral): done between slices, never
  // while the computer itself is running.
  void request_shutdown(int id) { pending_[id] = Kernel::PowerRequest::Shutdown; }
  void request_reboot(int id) { pending_[id] = Kernel::PowerRequest::Reboot; }
  // Ends computer id's processes (SIGHUP, SIGTERM, SIGKILL) and turns it off.
  void shut_down(int id);
  Computer* computer(int id);
  bool is_on(int id) const { return computers_.contains(id); }
  std::vector<int> ids() const;
  // A computer's label, on or off (off: as saved in its data directory).
  std::optional<std::string> label(int id);

  // Runs every computer for about `budget` seconds in all, then applies
  // os.shutdown, os.reboot and the requests above. Computer 0 is the
  // host's: its own os.shutdown/os.reboot stay in its power_request(), and
  // a request from another computer to turn it off sets host_turn_off(),
  // for the host to act on from its own thread. While one computer waits
  // for a process stuck in a C call (several workers), the others go on:
  // they have turns from inside its run (Kernel::set_stuck_turn).
  bool host_turn_off() const { return host_turn_off_; }
  void run_for(double budget);
  // run_for in a loop until done() holds, sleeping while nothing is ready.
  void run_until(const std::function<bool()>& done);
  bool has_ready() const;
  // Slices begun on all its computers so far: when it changed, something ran.
  std::uint64_t slices_begun() const;
  // Seconds until some computer has something to do (a timer, a device's
  // timed work), 0 if now.
  double idle_for() const;
  // Sleeps for `seconds`, or until wake(): from any thread, when the host
  // has given a computer something to do (input, queued or posted).
  void sleep(double seconds);
  void wake();
  // For a host that waits in poll(2) for input of its own as well (--cli):
  // a descriptor that becomes readable at every wake() from then on (made
  // on the first call, on the host's thread, before the world runs), and
  // its reset after a wake-up.
  int wake_fd();
  void clear_wake_fd();
  // Sends each signal to every process but init of every computer, with
  // `grace` seconds between (the end of a headless run, a closed window).
  void end_all(const std::vector<int>& signals, double grace);

  // ---- input from the host's thread
  // An event for a computer's foreground process (Kernel::post_input), or
  // a signal to its foreground job (signal != 0: Kernel::signal_foreground).
  struct HostInput {
    int computer = 0;
    int signal = 0;
    std::string name, payload;
  };
  // From any thread: the host queues input here while it cannot take the
  // world (a process is stuck in C). The world delivers it in order at its
  // next chance: when a run begins, or in the other computers' turn while
  // one waits for the stuck process. A signal for a computer that waits
  // for a stuck process (kill may wait for the process) stops the delivery
  // there until the next run: what follows it waits too, to keep the order.
  // At most kMaxQueuedInput wait (as many as the window keeps itself); more
  // are dropped.
  static constexpr std::size_t kMaxQueuedInput = 4096;
  // The longest an idle world sleeps before it looks again.
  static constexpr double kLongestSleep = 0.1;
  void queue_input(HostInput in);
  std::size_t queued_input();  // how many wait, for tests
  // Delivers what is queued, as above; on the world's thread, or by the
  // host while it holds the world (before input of its own, to keep order).
  void deliver_input();

  // ---- floppies: one DiskSpace per floppy directory, shared by every drive
  // that holds it (so two computers cannot each fill it), measured when it
  // is first inserted. A world holds at most kMaxFloppies numbered floppies.
  static constexpr std::size_t kMaxFloppies = 1024;
  std::shared_ptr<DiskSpace> floppy_space(const std::filesystem::path& host, std::uintmax_t capacity);
  // Whether numbered floppy `id` exists, or may be made (the world has
  // fewer than kMaxFloppies). From any computer's thread.
  bool floppy_allowed(int id);

  // ---- the host's hooks
  std::function<void(const PrintedPage&)> render_page;  // draws a page as PNG
  AudioOut* audio = nullptr;

 private:
  void apply_pending();
  // Delivers what came over the bridge to this world's modems.
  void deliver_bridged();
  // Runs each computer that is not waiting for a stuck process for its share
  // of `budget`, keeping their power requests for apply_pending.
  void run_each(double budget);
  static bool has_work(Computer& c);
  // Computer id waits for a process stuck in C: the others' turn.
  void stuck_turn(int id, double budget);
  bool is_stuck(int id) const { return std::find(stuck_.begin(), stuck_.end(), id) != stuck_.end(); }

  WorldConfig config_;
  Network network_;
  NetServices net_services_;  // outlives the computers, whose HttpClients use it
  std::unique_ptr<Bridge> bridge_;  // outlives the computers, whose modems publish through it
  std::map<int, std::unique_ptr<Computer>> computers_;
  std::map<int, std::unique_ptr<Console>> consoles_;
  std::map<int, Kernel::PowerRequest> pending_;
  Kernel::BusyListener busy_listener_;
  std::vector<int> starting_;  // ids being constructed (a computer peripheral of one starts the other)
  bool host_turn_off_ = false;
  bool in_run_ = false;         // inside run_for
  std::vector<int> stuck_;      // computers waiting for a stuck process, innermost last
  std::mutex floppy_mutex_;     // guards the two below: computers run on several workers
  std::map<std::filesystem::path, std::weak_ptr<DiskSpace>> floppy_spaces_;
  std::optional<std::set<int>> floppies_;  // the numbered floppies, read from disk/ on first use
  std::mutex input_mutex_;      // guards input_, which the host's thread fills
  std::mutex sleep_mutex_;      // guards woken_, for sleep and wake
  std::condition_variable sleep_cv_;
  bool woken_ = false;
  std::atomic<int> wake_fd_{-1};  // an eventfd, once wake_fd() made it
  std::vector<HostInput> input_;
};

}  // namespace moonbox
