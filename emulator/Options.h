// The command line, shared by the window and the headless runner.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "vm/Computer.h"

namespace moonbox {

struct Options {
  bool headless = false;
  bool cli = false;                // the computer in this text terminal
  bool debugger = false;
  std::string screenshot;
  std::string record;              // --record FILE: a GIF of the whole run
  bool frame_stats = false;        // print frame-time statistics on exit
  double quit_after = 0;
  std::string trace_file;
  std::string trace_format = "jsonl";
  std::string data_dir;
  std::string rom_dir;
  std::size_t memory_limit = defaults::kMemoryLimit;
  std::string program;             // host path of PROGRAM.lua, or empty
  std::vector<std::string> args;   // its arguments
};

// Parses argv. Returns an exit code when the program should stop right away
// (--help, --version, a bad option), having printed what it should.
std::optional<int> parse_options(int argc, char** argv, Options& out);

// What the options say of computer 0.
ComputerConfig computer_config(const Options& options);
BootRequest boot_request(const Options& options, const std::string& mode);

// $XDG_DATA_HOME/moonbox/computer/0, or ~/.local/share/... without it.
std::string default_data_dir();
// The installed rom next to the executable, else the source tree's.
std::string default_rom_dir(const char* argv0);

}  // namespace moonbox
