#include "vm/machine/World.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <iterator>
#include <limits>
#include <thread>

#include <sys/eventfd.h>
#include <unistd.h>

#include "vm/kernel/Signals.h"

namespace moonbox {

namespace fs = std::filesystem;

World::World(WorldConfig config) : config_(std::move(config)) {
  // Several workers: one pool of threads for every computer (a computer
  // idle at its shell has no thread of its own).
  KernelConfig& kernel = config_.computer.kernel;
  if (kernel.workers > 1 && !kernel.shared_workers) kernel.shared_workers = std::make_shared<WorkerPool>(kernel.workers);
  network_.set_wireless_range(config_.wireless_range);
  if (!config_.bridge.url.empty()) {
    bridge_ = std::make_unique<Bridge>(config_.bridge, [this] { wake(); });
    network_.set_bridge(bridge_.get());
    // The other instances' claims, before this one claims its ids; a broker
    // that is not there costs two seconds, and the bridge keeps trying.
    bridge_->wait_connected(2.0);
  }
}

World::~World() {
  // Devices of one computer may name another (a computer peripheral): drop
  // them all before any computer goes.
  computers_.clear();
  network_.set_bridge(nullptr);
  // Its thread wakes the world (sleep_cv_): it stops before the rest goes.
  bridge_.reset();
  if (int fd = wake_fd_.exchange(-1); fd >= 0) close(fd);
}

fs::path World::data_dir(int id) const {
  if (id == config_.host_id && !config_.computer.data_dir.empty()) return config_.computer.data_dir;
  return config_.base_dir / "computer" / std::to_string(id);
}

Computer* World::computer(int id) {
  auto it = computers_.find(id);
  return it == computers_.end() ? nullptr : it->second.get();
}

std::vector<int> World::ids() const {
  std::vector<int> out;
  for (const auto& [id, c] : computers_) out.push_back(id);
  return out;
}

std::optional<std::string> World::label(int id) {
  if (Computer* c = computer(id)) return c->label();
  std::string saved;
  if (read_host_file((data_dir(id) / Vfs::kStateDir / "label").string(), saved) && !saved.empty()) return saved;
  return std::nullopt;
}

Computer* World::turn_on(int id, const BootRequest& req, std::string* why) {
  if (Computer* c = computer(id)) return c;
  if (std::find(starting_.begin(), starting_.end(), id) != starting_.end()) return nullptr;
  // Ids are unique across a bridged world: another instance may hold this one.
  if (std::string holder; bridge_ && !bridge_->claim(id, &holder)) {
    if (why) *why = std::string("computer ").append(std::to_string(id)).append(" is already on at moonbox instance ").append(holder);
    return nullptr;
  }
  if (id == config_.host_id) host_turn_off_ = false;
  starting_.push_back(id);
  ComputerConfig cc = config_.computer;
  cc.id = id;
  cc.data_dir = data_dir(id).string();
  cc.world = this;
  if (id != config_.host_id) cc.trace_file.clear();
  Console* console = nullptr;
  if (config_.console_for) {
    consoles_[id] = config_.console_for(id);
    console = consoles_[id].get();
  }
  auto c = std::make_unique<Computer>(cc, console);
  // The host computer's directory is the one the user named (--data-dir),
  // where they look for its files and recordings: it is there from the
  // start. The others' appear with their first write, as CC's computer
  // folders do.
  if (id == config_.host_id) c->vfs().ensure_root();
  c->kernel().set_busy_listener(busy_listener_);
  c->kernel().set_stuck_turn([this, id](double budget) { stuck_turn(id, budget); });
  std::erase(starting_, id);
  if (Status booted = c->boot(req); !booted.ok()) {
    if (why) *why = booted.message();
    if (bridge_) bridge_->release(id);
    return nullptr;
  }
  Computer* out = c.get();
  computers_[id] = std::move(c);
  pending_.erase(id);
  return out;
}

std::shared_ptr<DiskSpace> World::floppy_space(const fs::path& host, std::uintmax_t capacity) {
  std::lock_guard<std::mutex> hold(floppy_mutex_);
  std::weak_ptr<DiskSpace>& slot = floppy_spaces_[host];
  std::shared_ptr<DiskSpace> space = slot.lock();
  if (!space) {
    space = std::make_shared<DiskSpace>(capacity, Vfs::tree_bytes(host));
    slot = space;
  }
  std::erase_if(floppy_spaces_, [](const auto& entry) { return entry.second.expired(); });
  return space;
}

bool World::floppy_allowed(int id) {
  std::lock_guard<std::mutex> hold(floppy_mutex_);
  if (!floppies_) {
    floppies_.emplace();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(config_.base_dir / "disk", ec)) {
      const std::string name = entry.path().filename().string();
      int n = 0;
      auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), n);
      if (err == std::errc() && end == name.data() + name.size()) floppies_->insert(n);
    }
  }
  if (floppies_->contains(id)) return true;
  if (floppies_->size() >= kMaxFloppies) return false;
  floppies_->insert(id);
  return true;
}

void World::set_busy_listener(Kernel::BusyListener fn) {
  busy_listener_ = std::move(fn);
  for (auto& [id, c] : computers_) c->kernel().set_busy_listener(busy_listener_);
}

void World::shut_down(int id) {
  Computer* c = computer(id);
  if (!c) return;
  c->end_processes({kSigHUP, kSigTERM, kSigKILL}, 0.2);
  computers_.erase(id);
  if (bridge_) bridge_->release(id);
}

void World::run_for(double budget) {
  deliver_input();
  deliver_bridged();
  in_run_ = true;
  run_each(budget);
  in_run_ = false;
  apply_pending();
}

// Whether computer c's kernel has anything to do now: a process ready, or
// a timer due (which readies one). Between batches nothing of it runs, so
// the host reads this without its lock (as idle_for does).
bool World::has_work(Computer& c) {
  Kernel& k = c.kernel();
  return k.has_ready() || k.next_wakeup() <= k.now();
}

// Each computer with work runs for an equal share of the budget; the idle
// ones are only looked at. (Every computer used to run for budget / all of
// them: with 10,000 computers and a few still booting, those few had 5 us
// a round, a slice, and each round walked all 10,000 kernels: turning on
// 10,000 computers took 1,900 rounds and 22-60 s.)
void World::run_each(double budget) {
  std::vector<int> on = ids();
  std::erase_if(on, [this](int id) { return is_stuck(id); });
  std::size_t working = 0;
  for (int id : on) {
    Computer* c = computer(id);
    if (!c) continue;
    c->deliver_network();
    if (has_work(*c)) working++;
  }
  double share = budget / static_cast<double>(std::max<std::size_t>(working, 1));
  for (int id : on) {
    Computer* c = computer(id);
    if (!c) continue;
    if (c->network_arrived()) c->deliver_network();  // an HTTP reply that came meanwhile
    if (has_work(*c)) c->kernel().run_for(share);
    c->tick();
    Kernel::PowerRequest r = c->kernel().power_request();
    if (id != config_.host_id && r != Kernel::PowerRequest::None && !pending_.contains(id)) pending_[id] = r;
  }
}

// Called from inside computer id's run (its kernel's lock held): no
// computer is turned off or on here, only in apply_pending once the
// outermost run is over.
void World::stuck_turn(int id, double budget) {
  if (!in_run_) return;  // end_all and shut_down run kernels themselves: no turns there
  stuck_.push_back(id);
  deliver_input();
  run_each(budget);
  stuck_.pop_back();
}

void World::queue_input(HostInput in) {
  {
    std::lock_guard lock(input_mutex_);
    if (input_.size() < kMaxQueuedInput) input_.push_back(std::move(in));
  }
  wake();
}

void World::sleep(double seconds) {
  std::unique_lock lock(sleep_mutex_);
  if (seconds > 0 && !woken_) sleep_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return woken_; });
  woken_ = false;
}

void World::wake() {
  {
    std::lock_guard lock(sleep_mutex_);
    woken_ = true;
  }
  sleep_cv_.notify_all();
  if (int fd = wake_fd_.load(std::memory_order_acquire); fd >= 0) {
    std::uint64_t one = 1;
    ssize_t written = write(fd, &one, sizeof one);  // EAGAIN: it is readable already
    (void)written;
  }
}

int World::wake_fd() {
  int fd = wake_fd_.load(std::memory_order_acquire);
  if (fd < 0) {
    fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    wake_fd_.store(fd, std::memory_order_release);
  }
  return fd;
}

void World::clear_wake_fd() {
  int fd = wake_fd_.load(std::memory_order_acquire);
  std::uint64_t count;
  if (fd >= 0) while (read(fd, &count, sizeof count) > 0) {}
  std::lock_guard lock(sleep_mutex_);
  woken_ = false;
}

std::size_t World::queued_input() {
  std::lock_guard lock(input_mutex_);
  return input_.size();
}

void World::deliver_input() {
  std::vector<HostInput> queued;
  {
    std::lock_guard lock(input_mutex_);
    queued.swap(input_);
  }
  std::size_t i = 0;
  for (; i < queued.size(); i++) {
    const HostInput& in = queued[i];
    Computer* c = computer(in.computer);
    if (!c) continue;  // turned off meanwhile: its input goes with it
    if (in.signal == 0) {
      c->kernel().post_input(in.name, in.payload);
      continue;
    }
    if (is_stuck(in.computer)) break;
    c->kernel().signal_foreground(in.signal);
  }
  if (i == queued.size()) return;
  // The rest goes back in front of what was queued meanwhile.
  std::lock_guard lock(input_mutex_);
  input_.insert(input_.begin(), std::make_move_iterator(queued.begin() + static_cast<std::ptrdiff_t>(i)),
                std::make_move_iterator(queued.end()));
}

void World::apply_pending() {
  std::map<int, Kernel::PowerRequest> now;
  now.swap(pending_);
  for (auto [id, r] : now) {
    if (id == config_.host_id) {  // the host's (its thread may be reading that computer's terminal)
      if (r == Kernel::PowerRequest::Reboot && is_on(id)) computer(id)->kernel().request_power(r);
      else host_turn_off_ = true;
      continue;
    }
    shut_down(id);
    if (r == Kernel::PowerRequest::Reboot) turn_on(id);
  }
}

void World::run_until(const std::function<bool()>& done) {
  while (!done()) {
    run_for(0.02);
    if (done() || has_ready()) continue;
    // Until a timer or a device's work is due, or the host queues input;
    // 0.1 s at most, for what no one announces (a helper's slice that was
    // stuck in C ending).
    sleep(std::min(idle_for(), kLongestSleep));
  }
}

std::uint64_t World::slices_begun() const {
  std::uint64_t n = 0;
  for (const auto& [id, c] : computers_) n += c->kernel().scheduler().slices_begun();
  return n;
}

bool World::has_ready() const {
  for (const auto& [id, c] : computers_)
    if (c->kernel().has_ready()) return true;
  return false;
}

void World::deliver_bridged() {
  if (!bridge_) return;
  // Drops are facts of the host's computer (the world has no trace of its own).
  Computer* host = computer(config_.host_id);
  for (std::string& why : bridge_->take_drops()) {
    if (!host) continue;
    Kernel& k = host->kernel();
    k.trace().record(TraceKind::BridgeDropped, k.now(), 0, 0, "bridge", 0, why);
  }
  for (BridgedPacket& p : bridge_->take()) network_.receive_remote(p);
}

double World::idle_for() const {
  if (bridge_ && bridge_->has_arrivals()) return 0;
  double wait = std::numeric_limits<double>::infinity();
  for (const auto& [id, c] : computers_) {
    if (c->network_arrived()) return 0;
    double now = c->kernel().now();
    wait = std::min({wait, c->kernel().next_wakeup() - now, c->next_device_tick() - now});
  }
  return std::max(wait, 0.0);
}

void World::end_all(const std::vector<int>& signals, double grace) {
  auto only_init_left = [this] {
    for (const auto& [id, c] : computers_)
      for (const auto& [pid, p] : c->kernel().processes())
        if (pid != 1 && p->alive()) return false;
    return true;
  };
  for (std::size_t i = 0; i < signals.size() && !only_init_left(); i++) {
    for (const auto& [id, c] : computers_) {
      std::vector<int> pids;
      for (const auto& [pid, p] : c->kernel().processes())
        if (pid != 1 && p->alive()) pids.push_back(pid);
      for (int pid : pids) c->kernel().kill(0, pid, signals[i]);
    }
    auto start = std::chrono::steady_clock::now();
    double limit = i + 1 < signals.size() ? grace : 0.01;
    while (!only_init_left() &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < limit) {
      for (const auto& [id, c] : computers_) c->kernel().run_for(0.01);
      if (!has_ready()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

}  // namespace moonbox
