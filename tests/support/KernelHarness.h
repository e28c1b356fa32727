// A kernel in a temporary directory, with its console captured, for tests.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vm/machine/Computer.h"

namespace moonbox::test {

class CapturingConsole final : public Console {
 public:
  void write_line(int pid, std::string_view line) override { lines.emplace_back(std::to_string(pid) + ": " + std::string(line)); }
  void write_text(int, std::string_view t) override { text += t; }
  void write_error(int, std::string_view t) override { errors += t; errors += '\n'; }
  bool printed(std::string_view text) const;
  std::vector<std::string> lines;
  std::string errors;
  std::string text;
};

class Harness {
 public:
  // With init, PID 1 is an idle process that reaps (as rom/moonbox/init.lua does),
  // so that the processes a test spawns can be signalled.
  explicit Harness(KernelConfig config = {}, bool with_init = true);
  explicit Harness(bool with_init) : Harness(KernelConfig{}, with_init) {}
  // A computer of the given config (its data and rom directories are the
  // harness's own).
  Harness(ComputerConfig config, bool with_init);
  ~Harness();

  // Replaces the computer with one whose print goes to its own terminal, as
  // in the window (the captured console is then unused).
  void use_terminal_console();
  // Shuts the computer down and boots it again on the same data directory.
  void reboot();

  // Spawns Lua source as a process of `user` (a child of `parent`).
  int spawn(const std::string& source, const std::string& user = "user", int parent = 0,
            std::size_t memory_limit = 0, const std::string& arg = {});
  // Runs the kernel until cond() holds or `guard` seconds of wall time pass
  // (a safety net against hangs, not a timing assertion). Returns cond().
  bool run_until(const std::function<bool()>& cond, double guard = 10);
  // Runs for about `seconds` of wall time.
  void run_for(double seconds);
  const Process* proc(int pid) const { return kernel->find(pid); }
  Process* proc(int pid) { return kernel->find(pid); }
  bool exited(int pid) const {
    const Process* p = proc(pid);
    return p && !p->alive();
  }

  std::filesystem::path dir;
  ComputerConfig config;
  CapturingConsole console;
  std::unique_ptr<Computer> computer;
  Kernel* kernel = nullptr;  // the computer's

 private:
  void start(Console* console, bool with_init);
  bool with_init_ = true;
};

}  // namespace moonbox::test
