#include "emulator/Headless.h"

#include <cstdio>
#include <limits>

#include "emulator/PagePng.h"
#include "vm/World.h"

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

// Another computer's output: on stderr, each line after its id ("[2] ").
class PrefixConsole final : public Console {
 public:
  explicit PrefixConsole(int id) {
    // (snprintf, not "[" + ...: g++ 12's -Wrestrict false positive, GCC bug 105329)
    char prefix[24];
    std::snprintf(prefix, sizeof prefix, "[%d] ", id);
    prefix_ = prefix;
  }
  void write_line(int, std::string_view line) override { put(line, true); }
  void write_text(int, std::string_view text) override { put(text, false); }
  void write_error(int, std::string_view text) override { put(text, true); }

 private:
  void put(std::string_view text, bool end_line) {
    std::fflush(stdout);
    while (!text.empty()) {
      std::size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      if (at_line_start_) std::fwrite(prefix_.data(), 1, prefix_.size(), stderr);
      std::fwrite(line.data(), 1, line.size(), stderr);
      at_line_start_ = nl != std::string_view::npos;
      if (at_line_start_) std::fputc('\n', stderr);
      text = at_line_start_ ? text.substr(nl + 1) : std::string_view{};
    }
    if (end_line && !at_line_start_) {
      std::fputc('\n', stderr);
      at_line_start_ = true;
    }
  }
  std::string prefix_;
  bool at_line_start_ = true;
};

}  // namespace

int run_headless(const Options& options) {
  WorldConfig config = world_config(options, "headless");
  config.console_for = [](int id) -> std::unique_ptr<Console> {
    if (id == 0) return std::make_unique<StdioConsole>();
    return std::make_unique<PrefixConsole>(id);
  };
  World world(std::move(config));
  world.render_page = [](const PrintedPage& page) { save_page_png(page); };
  std::string why;
  Computer* first = world.turn_on(0, boot_request(options, "headless"), &why);
  if (!first) {
    std::fprintf(stderr, "moonbox: %s\n", why.c_str());
    return 1;
  }
  // The program runs on computer 0; the others run meanwhile. Computer 0
  // turned off by another (a computer peripheral's shutdown) ends the run.
  world.run_until([&] { return world.host_turn_off() || world.computer(0)->program_done(); });
  if (world.host_turn_off() && !world.computer(0)->program_done()) {
    world.end_all({kSigHUP, kSigKILL}, 1.0);
    return 128 + kSigHUP;
  }
  int status = world.computer(0)->program_status();
  // What the program left behind, on every computer: SIGHUP, then SIGKILL after 1 s.
  world.end_all({kSigHUP, kSigKILL}, 1.0);
  return status;
}

}  // namespace moonbox
