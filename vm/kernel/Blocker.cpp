#include "vm/kernel/Blocker.h"

#include "vm/kernel/Kernel.h"

namespace moonbox {

bool ReceiveBlocker::satisfied(Process& p) const { return p.mailbox().find(filter) >= 0; }

std::string ReceiveBlocker::describe() const {
  std::string s = kName;
  if (filter.sender) s += " from " + std::to_string(filter.sender);
  if (!filter.any_name) s += " '" + filter.name + "'";
  return s;
}

bool EventBlocker::accepts(const Event& e) const {
  if (e.kind == EventKind::Remote) return filter.empty() || filter == "remote_event";
  return filter.empty() || e.name() == filter || e.name() == "terminate";
}

bool EventBlocker::satisfied(Process& p) const {
  std::size_t i = 0;
  while (i < p.mailbox().size()) {
    const Event& e = p.mailbox().at(i);
    if (accepts(e)) return true;
    if (e.kind == EventKind::Remote) i++;  // waits for receiveEvent
    else p.kernel().discard_event(p, i);
  }
  return false;
}

std::string EventBlocker::describe() const { return filter.empty() ? "pullEvent" : "pullEvent '" + filter + "'"; }

bool ChildBlocker::satisfied(Process& p) const {
  const Process* c = p.kernel().find(child);
  return !c || !c->alive();
}

std::string ChildBlocker::describe() const { return "wait " + std::to_string(child); }

bool Blocker::satisfied(Process& p) const {
  return std::visit(
      [&p](const auto& b) {
        if constexpr (std::is_same_v<std::decay_t<decltype(b)>, std::monostate>) return true;
        else return b.satisfied(p);
      },
      kind_);
}

const char* Blocker::name() const {
  return std::visit(
      [](const auto& b) -> const char* {
        if constexpr (std::is_same_v<std::decay_t<decltype(b)>, std::monostate>) return nullptr;
        else return b.kName;
      },
      kind_);
}

std::string Blocker::describe() const {
  return std::visit(
      [](const auto& b) -> std::string {
        if constexpr (std::is_same_v<std::decay_t<decltype(b)>, std::monostate>) return {};
        else return b.describe();
      },
      kind_);
}

}  // namespace moonbox
