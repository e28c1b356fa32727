// Blockers: what a blocked frame waits for, each owning its wake-up rule.
//
// A blocking call (receiveEvent, pullEvent, sleep, wait) gives the kernel a
// small blocker object and yields. The scheduler resumes the frame only when
// its blocker is satisfied or its deadline has passed, so the binding's
// continuation just completes the call. (SerenityOS's Thread::Blocker is the
// model.) Blockers are values, not heap objects: blocking allocates nothing.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include "vm/kernel/Mailbox.h"

namespace moonbox {

class Process;

// system.ipc.receiveEvent: a remote event that matches the filter.
struct ReceiveBlocker {
  static constexpr const char* kName = "receiveEvent";
  RemoteFilter filter;
  bool satisfied(Process& p) const;
  std::string describe() const;
};

// A frame's coroutine.yield(filter) (os.pullEventRaw, CC's event model): the
// next event the filter accepts. "terminate" always passes, as in CC. System
// events the filter passes over are discarded as they arrive, as CC does;
// remote events are never discarded, and stay queued for receiveEvent.
struct EventBlocker {
  static constexpr const char* kName = "pullEvent";
  std::string filter;  // "" = any event
  bool accepts(const Event& e) const;
  bool satisfied(Process& p) const;
  std::string describe() const;
};

// sleep: only the deadline ends it.
struct SleepBlocker {
  static constexpr const char* kName = "sleep";
  bool satisfied(Process&) const { return false; }
  std::string describe() const { return "sleep"; }
};

// system.process.wait: the child has exited (or is gone).
struct ChildBlocker {
  static constexpr const char* kName = "wait";
  int child = 0;
  bool satisfied(Process& p) const;
  std::string describe() const;
};

class Blocker {
 public:
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  Blocker() = default;
  template <class B>
  Blocker(B b, double deadline, std::uint64_t gen) : kind_(std::move(b)), deadline_(deadline), gen_(gen) {}

  bool active() const { return kind_.index() != 0; }
  double deadline() const { return deadline_; }
  // Tells a stale deadline timer from the live one.
  std::uint64_t gen() const { return gen_; }
  bool timed_out(double now) const { return now >= deadline_; }
  // True when the frame may go on: the condition holds. An event blocker
  // discards the system events its filter skips while it looks.
  bool satisfied(Process& p) const;
  // The blocking call: "receiveEvent", "pullEvent", "sleep", "wait"; null
  // when not blocked.
  const char* name() const;
  // For the process table: "receiveEvent from 3 'pong'".
  std::string describe() const;
  template <class B>
  const B* as() const { return std::get_if<B>(&kind_); }

 private:
  std::variant<std::monostate, ReceiveBlocker, EventBlocker, SleepBlocker, ChildBlocker> kind_;
  double deadline_ = kNever;
  std::uint64_t gen_ = 0;
};

}  // namespace moonbox
