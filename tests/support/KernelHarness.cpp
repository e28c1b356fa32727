#include "tests/support/KernelHarness.h"
#include "vm/lua/Environment.h"

#include <chrono>
#include <random>
#include <thread>

namespace moonbox::test {

bool CapturingConsole::printed(std::string_view text) const {
  for (const auto& line : lines)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

namespace {
ComputerConfig with_kernel(const KernelConfig& kernel) {
  ComputerConfig config;
  config.kernel = kernel;
  return config;
}
}  // namespace

Harness::Harness(KernelConfig config, bool with_init) : Harness(with_kernel(config), with_init) {}

Harness::Harness(ComputerConfig config, bool with_init) : with_init_(with_init) {
  std::random_device rd;
  dir = std::filesystem::temp_directory_path() / ("moonbox-test-" + std::to_string(rd()));
  std::filesystem::create_directories(dir / "data");
  config.data_dir = (dir / "data").string();
  config.rom_dir = MOONBOX_SOURCE_ROM;
  use_lua_programs(config.kernel);
  this->config = config;
  start(&console, with_init);
}

void Harness::start(Console* out, bool with_init) {
  kernel = nullptr;
  computer.reset();
  computer = std::make_unique<Computer>(config, out);
  kernel = &computer->kernel();
  if (with_init) {
    spawn(R"(
      local process = require("system.process")
      while true do
        local _, info = os.pullEventRaw("process_complete")
        pcall(process.wait, info.id)
      end
    )", "root");
  }
}

void Harness::use_terminal_console() { start(nullptr, with_init_); }

void Harness::reboot() { start(&console, with_init_); }

Harness::~Harness() {
  kernel = nullptr;
  computer.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

int Harness::spawn(const std::string& source, const std::string& user, int parent, std::size_t memory_limit,
                   const std::string& arg) {
  SpawnRequest req;
  if (!arg.empty()) MessageWriter(req.args).string(arg).finish();
  req.name = "test";
  req.source = source;
  req.user = user;
  req.parent = parent;
  req.memory_limit = memory_limit;
  return kernel->spawn(req).value;
}

bool Harness::run_until(const std::function<bool()>& cond, double guard) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(guard);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > end) return false;
    kernel->run_for(0.005);
    if (!kernel->has_ready()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

void Harness::run_for(double seconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    kernel->run_for(0.005);
    if (!kernel->has_ready()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace moonbox::test
