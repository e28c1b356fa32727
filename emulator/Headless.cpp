#include "emulator/Headless.h"

#include <cstdio>
#include <limits>

#include "vm/Computer.h"

namespace moonbox {

namespace {

// Terminal output as lines on stdout; errors on stderr.
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

}  // namespace

int run_headless(const Options& options) {
  StdioConsole console;
  Computer computer(computer_config(options), &console);
  if (Status booted = computer.boot(boot_request(options, "headless")); !booted.ok()) {
    std::fprintf(stderr, "moonbox: %s\n", booted.message());
    return 1;
  }
  computer.run_until([&] { return computer.program_done(); }, std::numeric_limits<double>::infinity());
  // What the program left behind: SIGHUP, then SIGKILL after 1 s.
  computer.end_processes({kSigHUP, kSigKILL}, 1.0);
  return computer.program_status();
}

}  // namespace moonbox
