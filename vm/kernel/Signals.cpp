#include "vm/kernel/Signals.h"

#include <array>
#include <charconv>

namespace moonbox {

namespace {
using enum SignalAction;
constexpr std::array kSignals = {
    SignalInfo{kSigHUP, "SIGHUP", Terminate, true},
    SignalInfo{kSigINT, "SIGINT", Terminate, true},
    SignalInfo{kSigQUIT, "SIGQUIT", TerminateDump, true},
    SignalInfo{kSigTRAP, "SIGTRAP", Breakpoint, true},
    SignalInfo{kSigABRT, "SIGABRT", TerminateDump, true},
    SignalInfo{kSigKILL, "SIGKILL", Terminate, false},
    SignalInfo{kSigUSR1, "SIGUSR1", Terminate, true},
    SignalInfo{kSigUSR2, "SIGUSR2", Terminate, true},
    SignalInfo{kSigPIPE, "SIGPIPE", Terminate, true},
    SignalInfo{kSigTERM, "SIGTERM", Terminate, true},
    SignalInfo{kSigCONT, "SIGCONT", Continue, true},
    SignalInfo{kSigSTOP, "SIGSTOP", Stop, false},
    SignalInfo{kSigTTIN, "SIGTTIN", Stop, true},
    SignalInfo{kSigTTOU, "SIGTTOU", Stop, true},
};
}  // namespace

std::span<const SignalInfo> all_signals() { return kSignals; }

const SignalInfo* find_signal(int number) {
  for (const auto& s : kSignals)
    if (s.number == number) return &s;
  return nullptr;
}

int parse_signal(std::string_view text) {
  int number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && end == text.data() + text.size())
    return find_signal(number) ? number : 0;
  if (text.starts_with("SIG")) text.remove_prefix(3);
  for (const auto& s : kSignals)
    if (s.name.substr(3) == text) return s.number;
  return 0;
}

}  // namespace moonbox
