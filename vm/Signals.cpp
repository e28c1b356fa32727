#include "vm/Signals.h"

#include <array>
#include <charconv>

namespace moonbox {

namespace {
using enum SignalAction;
constexpr std::array kSignals = {
    SignalInfo{SIGHUP, "SIGHUP", Terminate, true},
    SignalInfo{SIGINT, "SIGINT", Terminate, true},
    SignalInfo{SIGQUIT, "SIGQUIT", TerminateDump, true},
    SignalInfo{SIGTRAP, "SIGTRAP", Breakpoint, true},
    SignalInfo{SIGABRT, "SIGABRT", TerminateDump, true},
    SignalInfo{SIGKILL, "SIGKILL", Terminate, false},
    SignalInfo{SIGUSR1, "SIGUSR1", Terminate, true},
    SignalInfo{SIGUSR2, "SIGUSR2", Terminate, true},
    SignalInfo{SIGPIPE, "SIGPIPE", Terminate, true},
    SignalInfo{SIGTERM, "SIGTERM", Terminate, true},
    SignalInfo{SIGCONT, "SIGCONT", Continue, true},
    SignalInfo{SIGSTOP, "SIGSTOP", Stop, false},
    SignalInfo{SIGTTIN, "SIGTTIN", Stop, true},
    SignalInfo{SIGTTOU, "SIGTTOU", Stop, true},
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
