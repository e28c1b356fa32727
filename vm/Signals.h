// Signal numbers and their default actions (ARCHITECTURE.md, "system.ipc").
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace moonbox {

enum Signal : int {
  SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGTRAP = 5, SIGABRT = 6, SIGKILL = 9,
  SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13, SIGTERM = 15, SIGCONT = 18,
  SIGSTOP = 19, SIGTTIN = 21, SIGTTOU = 22,
};

enum class SignalAction {
  Terminate,      // end with status 128+n
  TerminateDump,  // end with status 128+n, traceback to stderr and the trace
  Stop,           // stop the process
  Breakpoint,     // stop and mark as at a breakpoint (TRAP)
  Continue,       // resume a stopped process
};

struct SignalInfo {
  int number;
  std::string_view name;  // "SIGHUP"
  SignalAction action;
  bool catchable;
};

// Every signal moonbox knows, in ascending order.
std::span<const SignalInfo> all_signals();
// nullptr for a number that is not a moonbox signal.
const SignalInfo* find_signal(int number);
// Parses "TERM", "SIGTERM" or "15"; 0 when unknown.
int parse_signal(std::string_view text);

// A set of pending signals; bit n stands for signal n (all are < 32).
using SignalSet = std::uint32_t;
inline SignalSet signal_bit(int sig) { return SignalSet{1} << sig; }

}  // namespace moonbox
