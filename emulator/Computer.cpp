#include "emulator/Computer.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

namespace moonbox {

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
}  // namespace

Computer::Computer(const Options& options, Console* console) : options_(options) {
  KernelConfig config;
  config.data_dir = options.data_dir;
  config.rom_dir = options.rom_dir;
  config.memory_limit = options.memory_limit;
  kernel_ = console ? std::make_unique<Kernel>(config, *console) : std::make_unique<Kernel>(config);
  if (!options.trace_file.empty()) {
    trace_file_ = std::fopen(options.trace_file.c_str(), "w");
    if (trace_file_) {
      kernel_->trace().set_listener([f = trace_file_](const TraceEntry& e) {
        std::string line = trace_entry_json(e);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), f);
      });
    }
  }
  kernel_->set_exit_listener([this](const Process& p) {
    if (p.pid == program_pid_) {
      program_done_ = true;
      program_status_ = p.exit_status;
    }
  });
}

Computer::~Computer() {
  kernel_->set_exit_listener(nullptr);
  kernel_->trace().set_listener(nullptr);
  kernel_.reset();
  if (trace_file_) std::fclose(trace_file_);
}

bool Computer::boot(const std::string& mode, std::string& error) {
  if (!options_.trace_file.empty() && !trace_file_) {
    error = "cannot write " + options_.trace_file;
    return false;
  }
  SpawnRequest init;
  init.name = "init";
  init.chunkname = "/rom/init.lua";
  if (!read_host_file(options_.rom_dir + "/init.lua", init.source)) {
    error = "cannot read " + options_.rom_dir + "/init.lua";
    return false;
  }
  // With a program, init only reaps; otherwise it starts the shell.
  init.args = encode_strings({options_.program.empty() ? mode : "program"});
  SpawnResult started_init = kernel_->spawn(init);
  if (!started_init.pid) {
    error = started_init.error;
    return false;
  }
  if (options_.program.empty()) return true;
  SpawnRequest program;
  program.name = options_.program;
  if (!read_host_file(options_.program, program.source)) {
    error = "cannot open " + options_.program;
    return false;
  }
  program.args = encode_strings(options_.args);
  program.parent = started_init.pid;
  program.user = "user";
  SpawnResult started = kernel_->spawn(program);
  if (!started.pid) {
    error = started.error;
    return false;
  }
  program_pid_ = started.pid;
  kernel_->set_foreground(started.pid);
  return true;
}

void Computer::run_until(const std::function<bool()>& done, double until) {
  Kernel& k = *kernel_;
  while (!done() && k.now() < until) {
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

}  // namespace moonbox
