#include "vm/kernel/Mailbox.h"

namespace moonbox {

namespace {
// Kept for reuse: a few buffers, none large (a burst of big messages must
// not leave memory behind that no quota counts).
constexpr std::size_t kSpareBuffers = 4;
constexpr std::size_t kSpareBufferLimit = 1024;
}  // namespace

Event& Mailbox::append(EventKind kind, int sender, std::uint64_t id, std::size_t name_size) {
  Event& e = events_.emplace_back();
  e.kind = kind;
  e.sender = sender;
  e.id = id;
  e.name_size = static_cast<std::uint32_t>(name_size);
  return e;
}

bool Mailbox::push(EventKind kind, std::string_view name, int sender, std::string_view payload, std::uint64_t id) {
  if (full()) return false;
  Event& e = append(kind, sender, id, name.size());
  if (!spare_.empty()) {
    e.data = std::move(spare_.back());
    spare_.pop_back();
  }
  e.data.assign(name);
  e.data.append(payload);
  bytes_ += payload.size();
  return true;
}

bool Mailbox::push_buffer(EventKind kind, std::string& whole, std::size_t name_size, int sender, std::uint64_t id) {
  if (full()) return false;
  Event& e = append(kind, sender, id, name_size);
  // The buffers are exchanged only for a spare one: an owner (the encoder)
  // given an empty buffer would grow it again, a few reallocations, for the
  // next message; a large one is copied too, so its owner keeps it.
  if (!spare_.empty() && whole.size() <= kSpareBufferLimit) {
    e.data = std::move(spare_.back());
    spare_.pop_back();
    e.data.swap(whole);
  } else {
    e.data.assign(whole);
  }
  bytes_ += e.payload().size();
  return true;
}

long Mailbox::find(const RemoteFilter& f) const {
  for (std::size_t i = 0; i < events_.size(); i++)
    if (f.matches(events_[i])) return static_cast<long>(i);
  return -1;
}

void Mailbox::drop(std::size_t i) {
  Event& e = events_[i];
  bytes_ -= e.payload().size();
  if (spare_.size() < kSpareBuffers && e.data.capacity() <= kSpareBufferLimit) spare_.push_back(std::move(e.data));
  if (i == 0) events_.pop_front();  // the usual case, without deque's general erase
  else events_.erase(events_.begin() + static_cast<long>(i));
}

void Mailbox::clear() {
  events_.clear();
  spare_.clear();
  bytes_ = 0;
}

}  // namespace moonbox
