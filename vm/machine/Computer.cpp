#include "vm/machine/Computer.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "vm/machine/World.h"
#include "vm/machine/devices/Modem.h"

namespace moonbox {

namespace fs = std::filesystem;

bool read_host_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return true;
}

namespace {

std::string encode_strings(const std::vector<std::string>& values) {
  std::string payload;
  MessageWriter w(payload);
  for (const std::string& v : values) w.string(v);
  w.finish();
  return payload;
}

// CC's label rules: control characters go, and at most 32 characters stay.
std::string normalise_label(std::string_view label) {
  std::string out;
  for (char c : label) {
    if (static_cast<unsigned char>(c) >= 32 && c != 127) out += c;
    if (out.size() == 32) break;
  }
  return out;
}

}  // namespace

Computer::Computer(ComputerConfig config, Console* console)
    : config_(std::move(config)), vfs_(config_.data_dir, config_.rom_dir), console_(console) {
  vfs_.set_capacity(config_.disk_limit);
  if (!console_) {
    own_console_ = std::make_unique<TerminalConsole>(terminal_);
    console_ = own_console_.get();
  }
  std::string saved;
  if (read_host_file((state_dir() / "label").string(), saved) && !saved.empty()) label_ = normalise_label(saved);
  kernel_ = std::make_unique<Kernel>(config_.kernel, *this);
  if (!config_.trace_file.empty()) {
    trace_file_ = std::fopen(config_.trace_file.c_str(), "w");
    if (trace_file_ && config_.trace_format == "chrome") {
      chrome_trace_ = std::make_unique<ChromeTraceWriter>(trace_file_);
      kernel_->trace().set_listener([w = chrome_trace_.get()](const TraceEntry& e) { w->entry(e); });
      kernel_->set_span_listener(
          [w = chrome_trace_.get()](int pid, double start, double end, bool running) { w->span(pid, start, end, running); });
    } else if (trace_file_) {
      kernel_->trace().set_listener([f = trace_file_](const TraceEntry& e) {
        std::string line = trace_entry_json(e);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), f);
      });
    }
  }
  kernel_->set_exit_listener([this](const Process& p) {
    if (p.pid() == program_pid_) {
      program_done_ = true;
      program_status_ = p.exit_status();
    }
    http_->process_ended(p.pid());
  });
  if (!config_.world) {
    own_network_ = std::make_unique<Network>();
    own_net_services_ = std::make_unique<NetServices>();
  }
  World* world = config_.world;
  http_ = std::make_unique<HttpClient>(world ? world->net_services() : *own_net_services_, config_.http,
                                       [world] {
                                         if (world) world->wake();
                                       });
  load_configuration();
}

Computer::~Computer() {
  // The devices leave first (a modem its network, a monitor its terminal),
  // quietly: nothing is left to hear of it, and the configuration stays.
  if (config_dirty_) save_configuration();
  for (Attached& a : peripherals_) {
    a.device->detaching();
    a.device->attached_ = false;
  }
  peripherals_.clear();
  kernel_->set_exit_listener(nullptr);
  kernel_->trace().set_listener(nullptr);
  kernel_->set_span_listener(nullptr);
  kernel_.reset();
  http_.reset();  // cancels what is still in flight
  chrome_trace_.reset();  // closes the JSON array
  if (trace_file_) std::fclose(trace_file_);
}

fs::path Computer::state_dir() const { return vfs_.root() / Vfs::kStateDir; }

void Computer::set_label(std::optional<std::string> label) {
  if (label) label = normalise_label(*label);
  if (label && label->empty()) label.reset();
  label_ = std::move(label);
  std::error_code ec;
  fs::path file = state_dir() / "label";
  if (!label_) {
    fs::remove(file, ec);
    return;
  }
  fs::create_directories(state_dir(), ec);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << *label_;
}

void Computer::set_redstone_input(int side, int strength) {
  if (side < 0 || side >= Redstone::kSides || redstone_.input(side) == strength) return;
  redstone_.set_input(side, strength);
  std::string payload;
  MessageWriter(payload).finish();
  post_to_all("redstone", payload);
}

void Computer::post_to_all(std::string_view name, std::string_view payload) {
  std::vector<int> pids;
  for (const auto& [pid, p] : kernel_->processes())
    if (p->alive() && !p->blocker().as<ChildBlocker>()) pids.push_back(pid);
  for (int pid : pids) kernel_->post_event(pid, name, payload);
}

// ---------------------------------------------------------------- peripherals

Network& Computer::network() { return config_.world ? config_.world->network() : *own_network_; }

fs::path Computer::shared_dir() const { return config_.world ? config_.world->base_dir() : state_dir(); }

Peripheral* Computer::peripheral(std::string_view name) { return peripheral_ref(name).get(); }

std::shared_ptr<Peripheral> Computer::peripheral_ref(std::string_view name) {
  for (Attached& a : peripherals_)
    if (a.name == name) return a.device;
  return nullptr;
}

std::vector<std::string> Computer::peripheral_names() const {
  std::vector<std::string> sides, others;
  for (std::string_view side : Redstone::kNames)
    for (const Attached& a : peripherals_)
      if (a.name == side) sides.push_back(a.name);
  for (const Attached& a : peripherals_)
    if (std::find(Redstone::kNames.begin(), Redstone::kNames.end(), a.name) == Redstone::kNames.end())
      others.push_back(a.name);
  std::sort(others.begin(), others.end());
  sides.insert(sides.end(), others.begin(), others.end());
  return sides;
}

std::vector<Modem*> Computer::modems() {
  std::vector<Modem*> out;
  for (Attached& a : peripherals_)
    if (a.device->type() == "modem") out.push_back(static_cast<Modem*>(a.device.get()));
  return out;
}

bool Computer::attach(const std::string& name, std::unique_ptr<Peripheral> p, std::string argument) {
  if (!p || name.empty() || peripheral(name)) return false;
  p->computer_ = this;
  p->name_ = name;
  p->argument_ = std::move(argument);
  Peripheral& device = *p;
  peripherals_.push_back(Attached{name, std::move(p)});
  device.attached_ = true;
  device.attached();
  if (loading_) return true;
  config_dirty_ = true;
  device.post_event("peripheral");
  return true;
}

bool Computer::detach(std::string_view name) {
  auto it = std::find_if(peripherals_.begin(), peripherals_.end(), [name](const Attached& a) { return a.name == name; });
  if (it == peripherals_.end()) return false;
  it->device->detaching();
  it->device->attached_ = false;
  std::string gone = it->name;
  peripherals_.erase(it);
  config_dirty_ = true;
  std::string payload;
  MessageWriter(payload).string(gone).finish();
  post_to_all("peripheral_detach", payload);
  return true;
}

void Computer::tick() {
  if (config_dirty_) save_configuration();
  double now = kernel_->now();
  for (std::size_t i = 0; i < peripherals_.size(); i++) peripherals_[i].device->tick(now);
}

double Computer::next_device_tick() const {
  double due = std::numeric_limits<double>::infinity();
  for (const Attached& a : peripherals_) due = std::min(due, a.device->next_tick());
  return due;
}

// The configuration: DATA/.moonbox/config.json, {"peripherals": [{"name":
// "left", "type": "monitor", "argument": ""}, ...]}. A file that cannot be
// read is ignored (the computer starts with nothing attached).
//
// Names and arguments come from programs and are bytes. JSON strings are
// UTF-8, so a value that is not valid UTF-8 is kept losslessly as hex
// under the key with "_hex" added ("name_hex": "fffe"); one that is, as
// itself. Nothing here throws.
namespace {

bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 4;
    if (n == 4 || i + n >= s.size()) return false;  // a bad lead byte, or cut short
    std::uint32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (std::size_t k = 1; k <= n; k++) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;  // overlong, surrogate
    i += n + 1;
  }
  return true;
}

void put_bytes(nlohmann::json& obj, const std::string& key, std::string_view value) {
  if (is_utf8(value)) {
    obj[key] = std::string(value);
    return;
  }
  static const char* const kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : value) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  obj[key + "_hex"] = hex;
}

std::string get_bytes(const nlohmann::json& obj, const std::string& key) {
  auto it = obj.find(key);
  if (it != obj.end() && it->is_string()) return it->get<std::string>();
  it = obj.find(key + "_hex");
  if (it == obj.end() || !it->is_string()) return {};
  const std::string& hex = it->get_ref<const std::string&>();
  auto digit = [](char c) { return c >= 'a' ? c - 'a' + 10 : c - '0'; };
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(digit(hex[i]) << 4 | digit(hex[i + 1]));
  return out;
}

}  // namespace

void Computer::load_configuration() {
  std::string text;
  if (!read_host_file((state_dir() / "config.json").string(), text)) return;
  nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
  if (!config.is_object()) return;
  if (auto at = config.find("position"); at != config.end() && at->is_array() && at->size() == 3 &&
                                         (*at)[0].is_number() && (*at)[1].is_number() && (*at)[2].is_number())
    position_ = Position{(*at)[0].get<double>(), (*at)[1].get<double>(), (*at)[2].get<double>()};
  if (!config.contains("peripherals") || !config["peripherals"].is_array()) return;
  loading_ = true;
  for (const nlohmann::json& entry : config["peripherals"]) {
    if (!entry.is_object()) continue;
    std::string name = get_bytes(entry, "name"), type = get_bytes(entry, "type"), argument = get_bytes(entry, "argument");
    std::string why;
    if (auto device = make_peripheral(*this, type, argument, &why)) attach(name, std::move(device), argument);
  }
  loading_ = false;
}

// Written to a new file that then replaces the old, so that a crash of the
// host mid-write leaves the previous configuration whole.
void Computer::save_configuration() {
  config_dirty_ = false;
  nlohmann::json list = nlohmann::json::array();
  for (const Attached& a : peripherals_) {
    nlohmann::json entry = nlohmann::json::object();
    put_bytes(entry, "name", a.name);
    entry["type"] = std::string(a.device->type());
    put_bytes(entry, "argument", a.device->argument());
    list.push_back(std::move(entry));
  }
  nlohmann::json config = {{"peripherals", list}};
  if (position_) config["position"] = {position_->x, position_->y, position_->z};
  std::error_code ec;
  fs::create_directories(state_dir(), ec);
  fs::path file = state_dir() / "config.json", next = state_dir() / "config.json.new";
  {
    std::ofstream out(next, std::ios::binary | std::ios::trunc);
    out << config.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    if (!out) return;
  }
  fs::rename(next, file, ec);
}

Status Computer::boot(const BootRequest& boot) {
  if (!config_.trace_file.empty() && !trace_file_) return Status::failure(Err::NotFound, "cannot write " + config_.trace_file);
  SpawnRequest init;
  init.name = "init";
  init.chunkname = "/rom/moonbox/init.lua";
  if (!read_host_file(config_.rom_dir + "/moonbox/init.lua", init.source))
    return Status::failure(Err::NotFound, "cannot read " + config_.rom_dir + "/moonbox/init.lua");
  // With a program, init only reaps; otherwise it starts the shell.
  init.args = encode_strings({boot.program.empty() ? boot.mode : "program"});
  SpawnResult started_init = kernel_->spawn(init);
  if (!started_init.ok()) return Status::failure(started_init.err, started_init.message());
  if (boot.program.empty()) return {};
  SpawnRequest program;
  program.name = boot.program;
  // A program is a regular file no larger than a process may hold: a
  // directory would run as an empty program, and /dev/zero read forever.
  std::error_code ec;
  if (!fs::is_regular_file(boot.program, ec)) {
    bool exists = fs::exists(boot.program, ec);
    return Status::failure(Err::NotFound, boot.program + (exists ? ": not a regular file" : ": no such file"));
  }
  if (fs::file_size(boot.program, ec) > config_.kernel.memory_limit)
    return Status::failure(Err::LoadFailed, boot.program + ": too large for a process's memory limit");
  if (!read_host_file(boot.program, program.source)) return Status::failure(Err::NotFound, "cannot open " + boot.program);
  program.args = encode_strings(boot.args);
  program.parent = started_init.value;
  program.user = "user";
  SpawnResult started = kernel_->spawn(program);
  if (!started.ok()) return Status::failure(started.err, started.message());
  program_pid_ = started.value;
  kernel_->set_foreground(started.value);
  return {};
}

void Computer::run_until(const std::function<bool()>& done, double until) {
  Kernel& k = *kernel_;
  while (!done() && k.now() < until) {
    deliver_network();
    k.run_for(0.02);
    if (done() || k.has_ready()) continue;
    double wake = std::min({k.next_wakeup(), until, k.now() + 0.01});
    double delay = wake - k.now();
    if (delay > 0) std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
}

void Computer::end_processes(const std::vector<int>& signals, double grace) {
  Kernel& k = *kernel_;
  auto only_init_left = [&k] {
    for (const auto& [pid, p] : k.processes())
      if (pid != 1 && p->alive()) return false;
    return true;
  };
  for (std::size_t i = 0; i < signals.size() && !only_init_left(); i++) {
    std::vector<int> pids;
    for (const auto& [pid, p] : k.processes())
      if (pid != 1 && p->alive()) pids.push_back(pid);
    for (int pid : pids) k.kill(0, pid, signals[i]);
    run_until(only_init_left, k.now() + (i + 1 < signals.size() ? grace : 0.01));
  }
}

// ---------------------------------------------------------------- KernelHost

std::optional<ProgramText> Computer::read_program(std::string_view path, std::string_view cwd) {
  std::string vpath = Vfs::normalize(path, cwd);
  auto text = vfs_.read_file(vpath);
  if (!text) return std::nullopt;
  return ProgramText{std::move(vpath), std::move(*text)};
}

std::optional<std::string> Computer::find_directory(std::string_view path, std::string_view cwd) {
  std::string vpath = Vfs::normalize(path, cwd);
  auto host = vfs_.host_path(vpath);
  std::error_code ec;
  if (!host || !std::filesystem::is_directory(*host, ec)) return std::nullopt;
  return vpath;
}

void Computer::terminal_opened(int id, int width, int height) {
  virtual_terminals_[id] = std::make_unique<Terminal>(width, height);
}

void Computer::terminal_closed(int id) { virtual_terminals_.erase(id); }

bool Computer::terminal_changed(int id) {
  Terminal* t = virtual_terminal(id);
  return t && t->changed();
}

void Computer::report_error(int pid, int tty, std::string_view text) {
  if (Terminal* t = tty != 0 ? virtual_terminal(tty) : nullptr) write_error_to(*t, text);
  else console_->write_error(pid, text);
}

Terminal* Computer::virtual_terminal(int id) {
  auto it = virtual_terminals_.find(id);
  return it == virtual_terminals_.end() ? nullptr : it->second.get();
}

Terminal& Computer::terminal_of(const Process& p) {
  if (p.tty() == 0) return terminal_;
  Terminal* t = virtual_terminal(p.tty());
  return t ? *t : detached_;
}

}  // namespace moonbox
