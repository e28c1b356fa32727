// Signal numbers and their default actions (ARCHITECTURE.md, "system.ipc").
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace moonbox {

// The kSig names avoid the host's <signal.h> macros; the numbers are
// moonbox's own (POSIX's, as Phoenix uses), whatever the host has.
enum Signal : int {
  kSigHUP = 1, kSigINT = 2, kSigQUIT = 3, kSigTRAP = 5, kSigABRT = 6, kSigKILL = 9,
  kSigUSR1 = 10, kSigUSR2 = 12, kSigPIPE = 13, kSigTERM = 15, kSigCONT = 18,
  kSigSTOP = 19, kSigTTIN = 21, kSigTTOU = 22,
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
