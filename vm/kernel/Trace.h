// Trace: a fixed-size ring buffer of every IPC fact the kernel sees.
//
// Appending is O(1) and never allocates: entries are plain structs with
// fixed-size text fields, and the oldest entry is overwritten when full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <functional>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/kernel/Defaults.h"

namespace moonbox {

enum class TraceKind : std::uint8_t {
  Spawn, Exit,
  SignalSent, SignalHandled, SignalDefault,
  EventSent, EventQueued, EventDropped, EventReceived,
  ServiceRegistered, ServiceReleased,
  Stop, Continue,
  // Modem traffic between computers: `from` is the sending process (sent)
  // or the sending computer's id (received), `to` the channel, `name` the
  // modem's side, and the message is previewed as an event's.
  ModemSent, ModemReceived,
  // The network outside (http): `from` is the process, `to` the status
  // (0 when there was no response), `size` the bytes of the body or
  // message, the preview the URL (its start), `seconds` the time taken.
  HttpRequest, HttpResponse, WebsocketMessage,
  // A modem packet the MQTT bridge dropped (the broker away, a malformed
  // payload): the reason is the preview.
  BridgeDropped,
};
std::string_view trace_kind_name(TraceKind k);

struct TraceEntry {
  std::uint64_t seq = 0;  // 1 for the first fact ever recorded
  double time = 0;        // kernel time, seconds since boot
  TraceKind kind = TraceKind::Spawn;
  int from = 0;           // pid; 0 = kernel or host
  int to = 0;
  std::uint32_t size = 0; // bytes of the value, if any
  std::uint64_t message = 0;  // the queued event's id (queued, received), which links the two
  char name[32] = {};     // event, signal, service or program name
  // A reason or note as text; or, for messages (preview_raw), the first
  // bytes of the encoded value, rendered only when someone reads them: a
  // memcpy on the hot path instead of formatting every message.
  char preview[56] = {};
  double seconds = 0;     // network facts: how long the transfer took
  std::uint8_t preview_len = 0;
  bool preview_raw = false;

  std::string_view name_view() const { return name; }
  // The text form (a reason, or "" for a message).
  std::string_view preview_view() const { return preview_raw ? std::string_view() : std::string_view(preview); }
  // What a person reads: the reason, or the message rendered as {n=1,...}.
  std::string preview_text() const;
};

class Trace {
 public:
  explicit Trace(std::size_t capacity = defaults::kTraceCapacity);

  bool enabled() const { return enabled_; }
  void set_enabled(bool on) { enabled_ = on; }
  // Something that wants every fact as it happens (the JSON lines writer).
  void set_listener(std::function<void(const TraceEntry&)> fn) { listener_ = std::move(fn); }

  void record(TraceKind kind, double time, int from, int to, std::string_view name,
              std::uint32_t size = 0, std::string_view preview = {});
  // A network fact (HttpRequest, HttpResponse, WebsocketMessage).
  void record_network(TraceKind kind, double time, int pid, int status, std::string_view name, std::size_t bytes,
                      std::string_view url, double seconds);
  // A message fact: keeps the start of the encoded payload for its preview.
  void record_message(TraceKind kind, double time, int from, int to, std::string_view name,
                      std::string_view payload, std::uint64_t message = 0);

  // The debugger's inspector wants whole messages, not previews. When
  // capture is on, the payload of each event_sent is kept, by seq, for the
  // most recent messages up to a byte budget. Off by default: it copies.
  void set_capture(bool on, std::size_t byte_budget = defaults::kTraceCaptureBudget);
  bool capturing() const { return capture_; }
  void capture_payload(std::string_view payload);  // for the entry just recorded
  // The payload of entry seq, if still kept.
  const std::string* payload(std::uint64_t seq) const;

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return total_ < capacity_ ? total_ : capacity_; }
  std::uint64_t total() const { return total_; }
  // The i-th oldest entry still held (0 <= i < size()).
  const TraceEntry& at(std::size_t i) const;
  // Copies the entries with seq > after, oldest first, into out.
  void copy_since(std::uint64_t after, std::vector<TraceEntry>& out) const;
  void clear();

 private:
  // The next ring slot, filled with what every fact has; the caller adds
  // the preview and then publishes it.
  TraceEntry& next_entry(TraceKind kind, double time, int from, int to, std::string_view name, std::uint32_t size);
  void publish(const TraceEntry& e);

  // The ring, from calloc: all-zero bytes are an empty TraceEntry, and a
  // large calloc's pages cost no memory until a fact is written to them, so
  // a computer that records little costs little (65,536 entries are 8 MiB).
  struct FreeRing {
    void operator()(TraceEntry* p) const { std::free(p); }
  };
  std::unique_ptr<TraceEntry[], FreeRing> ring_;
  std::size_t capacity_;
  std::uint64_t total_ = 0;
  std::size_t next_ = 0;  // the slot of the next entry: total_ % capacity, without a division
  bool enabled_ = true;
  std::function<void(const TraceEntry&)> listener_;
  bool capture_ = false;
  std::size_t capture_budget_ = 0, captured_bytes_ = 0;
  std::deque<std::pair<std::uint64_t, std::string>> payloads_;
};

// One JSON object (no newline) for an entry, with the fields the design
// lists: seq, time, kind, from, to, name, size, preview.
std::string trace_entry_json(const TraceEntry& e);
// Appends s as a JSON string (quoted, escaped; bytes >= 0x7f as \u00XX).
void append_json_string(std::string& out, std::string_view s);

}  // namespace moonbox
