// Console: where a process's print and error output go.
//
// The headless runner prints to the host's stdout/stderr; the emulator's
// terminal model is another implementation. The kernel never formats for a
// particular device.
#pragma once

#include <string_view>

namespace moonbox {

class Console {
 public:
  virtual ~Console() = default;
  // One line of normal output from pid (without the newline).
  virtual void write_line(int pid, std::string_view line) = 0;
  // Text without a newline (bios write()); may hold newlines.
  virtual void write_text(int pid, std::string_view text) = 0;
  // Error text from pid (an uncaught error and its traceback).
  virtual void write_error(int pid, std::string_view text) = 0;
};

// Discards everything (tests that only look at the trace or state).
class NullConsole final : public Console {
 public:
  void write_line(int, std::string_view) override {}
  void write_text(int, std::string_view) override {}
  void write_error(int, std::string_view) override {}
};

// Writes into a Terminal the way CC's print and printError do: wrapped at
// word boundaries, scrolling at the bottom, errors in red.
class Terminal;
// An error's text in red on t, ending its line (printError's way).
void write_error_to(Terminal& t, std::string_view text);

class TerminalConsole final : public Console {
 public:
  explicit TerminalConsole(Terminal& t) : term_(t) {}
  void write_line(int pid, std::string_view line) override;
  void write_text(int pid, std::string_view text) override;
  void write_error(int pid, std::string_view text) override;

 private:
  Terminal& term_;
};

}  // namespace moonbox
