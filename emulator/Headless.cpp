#include "emulator/Headless.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "vm/Kernel.h"

namespace moonbox {

namespace {

class StdioConsole final : public Console {
 public:
  void write_line(int, std::string_view line) override {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }
  void write_text(int, std::string_view text) override {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  void write_error(int, std::string_view text) override {
    std::fflush(stdout);
    std::fwrite(text.data(), 1, text.size(), stderr);
    if (text.empty() || text.back() != '\n') std::fputc('\n', stderr);
  }
};

bool read_host_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return true;
}

std::string encode_strings(const std::vector<std::string>& values) {
  std::string payload;
  MessageWriter w(payload);
  for (const std::string& v : values) w.string(v);
  w.finish();
  return payload;
}

// Runs the kernel until done() or the wall-clock deadline; sleeps while
// nothing is ready instead of spinning.
template <class Done>
void run_until(Kernel& k, Done done, double deadline) {
  while (!done() && k.now() < deadline) {
    k.run_for(0.02);
    if (done() || k.has_ready()) continue;
    double wake = std::min({k.next_wakeup(), deadline, k.now() + 0.01});
    double delay = wake - k.now();
    if (delay > 0) std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
}

bool only_init_left(const Kernel& k) {
  for (const auto& [pid, p] : k.processes())
    if (pid != 1 && p->alive()) return false;
  return true;
}

void signal_all_but_init(Kernel& k, int sig) {
  std::vector<int> pids;
  for (const auto& [pid, p] : k.processes())
    if (pid != 1 && p->alive()) pids.push_back(pid);
  for (int pid : pids) k.kill(0, pid, sig);
}

}  // namespace

int run_headless(const Options& options) {
  StdioConsole console;
  KernelConfig config;
  config.data_dir = options.data_dir;
  config.rom_dir = options.rom_dir;
  config.memory_limit = options.memory_limit;
  Kernel kernel(config, console);

  std::FILE* trace_file = nullptr;
  if (!options.trace_file.empty()) {
    trace_file = std::fopen(options.trace_file.c_str(), "w");
    if (!trace_file) {
      std::fprintf(stderr, "moonbox: cannot write %s\n", options.trace_file.c_str());
      return 1;
    }
    kernel.trace().set_listener([trace_file](const TraceEntry& e) {
      std::string line = trace_entry_json(e);
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), trace_file);
    });
  }

  int result = 1;
  std::string init_source, program_source;
  if (!read_host_file(options.rom_dir + "/init.lua", init_source)) {
    std::fprintf(stderr, "moonbox: cannot read %s/init.lua\n", options.rom_dir.c_str());
  } else if (!read_host_file(options.program, program_source)) {
    std::fprintf(stderr, "moonbox: cannot open %s\n", options.program.c_str());
  } else {
    SpawnRequest init;
    init.name = "init";
    init.chunkname = "/rom/init.lua";
    init.source = std::move(init_source);
    init.args = encode_strings({"headless"});
    SpawnResult init_pid = kernel.spawn(init);

    SpawnRequest program;
    program.name = options.program;
    program.source = std::move(program_source);
    program.args = encode_strings(options.args);
    program.parent = init_pid.pid;
    program.user = "user";
    SpawnResult started = kernel.spawn(program);
    if (!started.pid) {
      std::fprintf(stderr, "%s\n", started.error.c_str());
    } else {
      bool finished = false;
      kernel.set_exit_listener([&](const Process& p) {
        if (p.pid == started.pid) {
          finished = true;
          result = p.exit_status;
        }
      });
      const double forever = std::numeric_limits<double>::infinity();
      run_until(kernel, [&] { return finished; }, forever);
      kernel.set_exit_listener(nullptr);
      // What the program left behind: SIGHUP, then SIGKILL after 1 s.
      signal_all_but_init(kernel, SIGHUP);
      run_until(kernel, [&] { return only_init_left(kernel); }, kernel.now() + 1.0);
      signal_all_but_init(kernel, SIGKILL);
      run_until(kernel, [] { return false; }, kernel.now() + 0.01);
    }
  }
  if (trace_file) {
    kernel.trace().set_listener(nullptr);
    std::fclose(trace_file);
  }
  return result;
}

}  // namespace moonbox
