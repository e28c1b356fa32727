// Computer: one booted moonbox computer, shared by the window and the
// headless runner. It owns the kernel, boots init (and a program), writes
// the trace file, and ends processes when the computer goes down.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator/Options.h"
#include "vm/Kernel.h"

namespace moonbox {

class Computer {
 public:
  // console: where print goes; nullptr for the kernel's own terminal.
  Computer(const Options& options, Console* console);
  ~Computer();

  Kernel& kernel() { return *kernel_; }
  // Starts init (pid 1) with `mode` ("headless" or "gui"), and PROGRAM, if
  // given, as its child running as `user` in the foreground. Returns false
  // with a message on failure.
  bool boot(const std::string& mode, std::string& error);
  int program_pid() const { return program_pid_; }
  bool program_done() const { return program_done_; }
  int program_status() const { return program_status_; }

  // Runs the kernel until done() or the kernel time reaches `until`; sleeps
  // while nothing is ready.
  void run_until(const std::function<bool()>& done, double until);
  // Sends each signal in turn to every process but init, giving them `grace`
  // seconds to end between signals.
  void end_processes(const std::vector<int>& signals, double grace);

 private:
  const Options& options_;
  std::unique_ptr<Kernel> kernel_;
  std::FILE* trace_file_ = nullptr;
  int program_pid_ = 0;
  bool program_done_ = false;
  int program_status_ = 0;
};

bool read_host_file(const std::string& path, std::string& out);

}  // namespace moonbox
