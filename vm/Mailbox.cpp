#include "vm/Mailbox.h"

namespace moonbox {

bool Mailbox::push(Event&& e) {
  if (full()) return false;
  bytes_ += e.payload.size();
  events_.push_back(std::move(e));
  return true;
}

long Mailbox::find(const RemoteFilter& f) const {
  for (std::size_t i = 0; i < events_.size(); i++)
    if (f.matches(events_[i])) return static_cast<long>(i);
  return -1;
}

Event Mailbox::take(std::size_t i) {
  Event e = std::move(events_[i]);
  events_.erase(events_.begin() + static_cast<long>(i));
  bytes_ -= e.payload.size();
  return e;
}

void Mailbox::clear() {
  events_.clear();
  bytes_ = 0;
}

}  // namespace moonbox
