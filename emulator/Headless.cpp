#include "emulator/Headless.h"

#include <cstdio>
#include <limits>
#include <string>

#include "emulator/PagePng.h"
#include "vm/machine/World.h"

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

// Another computer's output: on stderr, each line after its id ("[2] "),
// line-buffered per computer: a line is written whole once it ends (a
// prompt waits for the rest of its line, or for the end of the run), so
// lines of different computers never join.
class PrefixConsole final : public Console {
 public:
  explicit PrefixConsole(int id) {
    // (snprintf, not "[" + ...: g++ 12's -Wrestrict false positive, GCC bug 105329)
    char prefix[24];
    std::snprintf(prefix, sizeof prefix, "[%d] ", id);
    prefix_ = prefix;
  }
  ~PrefixConsole() override {
    if (!pending_.empty()) emit(prefix_ + pending_ + "\n");
  }
  void write_line(int, std::string_view line) override { put(line, End::Line); }
  void write_text(int, std::string_view text) override { put(text, End::None); }
  void write_error(int, std::string_view text) override { put(text, End::IfOpen); }

 private:
  enum class End { None, Line, IfOpen };  // what ends the line after the text

  void put(std::string_view text, End end) {
    pending_.append(text);
    std::string out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      out += prefix_;
      out.append(pending_, start, nl - start + 1);
    }
    pending_.erase(0, start);
    if (end == End::Line || (end == End::IfOpen && !pending_.empty())) {
      out += prefix_ + pending_ + "\n";
      pending_.clear();
    }
    if (!out.empty()) emit(out);
  }
  // One write a batch of whole lines: stdio locks the stream for it.
  static void emit(const std::string& out) {
    std::fflush(stdout);
    std::fwrite(out.data(), 1, out.size(), stderr);
  }
  std::string prefix_;
  std::string pending_;  // the start of a line not ended yet
};

}  // namespace

int run_headless(const Options& options) {
  WorldConfig config = world_config(options, "headless");
  config.console_for = [host = options.computer_id](int id) -> std::unique_ptr<Console> {
    if (id == host) return std::make_unique<StdioConsole>();
    return std::make_unique<PrefixConsole>(id);
  };
  World world(std::move(config));
  world.render_page = [](const PrintedPage& page) { save_page_png(page); };
  std::string why;
  Computer* first = world.turn_on(world.host_id(), boot_request(options, "headless"), &why);
  if (!first) {
    std::fprintf(stderr, "moonbox: %s\n", why.c_str());
    return 1;
  }
  // The program runs on computer 0; the others run meanwhile. Computer 0
  // turned off by another (a computer peripheral's shutdown) ends the run.
  world.run_until([&] { return world.host_turn_off() || world.computer(world.host_id())->program_done(); });
  if (world.host_turn_off() && !world.computer(world.host_id())->program_done()) {
    world.end_all({kSigHUP, kSigKILL}, 1.0);
    return 128 + kSigHUP;
  }
  int status = world.computer(world.host_id())->program_status();
  // What the program left behind, on every computer: SIGHUP, then SIGKILL after 1 s.
  world.end_all({kSigHUP, kSigKILL}, 1.0);
  return status;
}

}  // namespace moonbox
