// Mailbox: a process's bounded, ordered event queue.
//
// It holds remote events (system.ipc) and the process's other events (timers,
// process_complete, terminal input) in arrival order. Receivers take the first
// event that matches their filter; the rest stay queued in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "vm/kernel/Defaults.h"
#include "vm/kernel/Memory.h"

namespace moonbox {

enum class EventKind : std::uint8_t { Remote, System };

// One queued event. Its name and its payload (encoded values, ValueCodec)
// share one buffer, which the mailbox recycles: once a mailbox has seen
// events of a size, queuing another allocates nothing.
struct Event {
  EventKind kind = EventKind::System;
  int sender = 0;        // pid of the sender; 0 for the kernel or the host
  std::uint64_t id = 0;  // kernel-wide sequence number, for the trace
  std::uint32_t name_size = 0;
  std::string data;      // name, then payload

  std::string_view name() const { return {data.data(), name_size}; }
  std::string_view payload() const { return std::string_view(data).substr(name_size); }
};

// A filter for receiveEvent: a sender pid (0 = any) and an event name.
struct RemoteFilter {
  int sender = 0;
  bool any_name = true;
  std::string name;
  bool matches(const Event& e) const {
    return e.kind == EventKind::Remote && (sender == 0 || e.sender == sender) &&
           (any_name || e.name() == name);
  }
};

class Mailbox {
 public:
  explicit Mailbox(std::size_t capacity = defaults::kQueueCapacity) : capacity_(capacity) {}

  bool full() const { return events_.size() >= capacity_; }
  bool empty() const { return events_.empty(); }
  std::size_t size() const { return events_.size(); }
  std::size_t capacity() const { return capacity_; }
  void set_capacity(std::size_t c) { capacity_ = c; }
  // Bytes of payload queued: the one count the memory quota reads.
  std::size_t bytes() const { return bytes_; }
  const SharedCount* bytes_counter() const { return &bytes_; }

  // Appends an event; false (and nothing changes) when the queue is full.
  bool push(EventKind kind, std::string_view name, int sender, std::string_view payload, std::uint64_t id = 0);
  // The same for an event already laid out in `whole` (its name, its first
  // name_size bytes, then its payload): the event keeps that buffer, with
  // no copy, and `whole` gets a spare one in exchange. With no spare buffer,
  // or over 1 KiB, it is copied and left with its owner.
  bool push_buffer(EventKind kind, std::string& whole, std::size_t name_size, int sender, std::uint64_t id = 0);
  const Event& back() const { return events_.back(); }
  // Index of the first remote event that matches; -1 when none.
  long find(const RemoteFilter& f) const;
  const Event& at(std::size_t i) const { return events_[i]; }
  // Removes event i, keeping its buffer for a later push.
  void drop(std::size_t i);
  void clear();

  auto begin() const { return events_.begin(); }
  auto end() const { return events_.end(); }

 private:
  std::deque<Event> events_;
  // A new event at the back, without its data.
  Event& append(EventKind kind, int sender, std::uint64_t id, std::size_t name_size);

  std::vector<std::string> spare_;  // buffers of dropped events, for push
  std::size_t capacity_;
  SharedCount bytes_ = 0;  // changed under the kernel lock, read by the owner's allocator
};

}  // namespace moonbox
