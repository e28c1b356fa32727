#include "vm/kernel/Trace.h"

#include <new>
#include <type_traits>

#include "vm/kernel/ValueCodec.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace moonbox {

std::string_view trace_kind_name(TraceKind k) {
  switch (k) {
    case TraceKind::Spawn: return "spawn";
    case TraceKind::Exit: return "exit";
    case TraceKind::SignalSent: return "signal_sent";
    case TraceKind::SignalHandled: return "signal_handled";
    case TraceKind::SignalDefault: return "signal_default";
    case TraceKind::EventSent: return "event_sent";
    case TraceKind::EventQueued: return "event_queued";
    case TraceKind::EventDropped: return "event_dropped";
    case TraceKind::EventReceived: return "event_received";
    case TraceKind::ServiceRegistered: return "service_registered";
    case TraceKind::ServiceReleased: return "service_released";
    case TraceKind::Stop: return "stop";
    case TraceKind::Continue: return "continue";
    case TraceKind::ModemSent: return "modem_sent";
    case TraceKind::ModemReceived: return "modem_received";
    case TraceKind::HttpRequest: return "http_request";
    case TraceKind::HttpResponse: return "http_response";
    case TraceKind::WebsocketMessage: return "websocket_message";
    case TraceKind::BridgeDropped: return "bridge_dropped";
  }
  return "unknown";
}

Trace::Trace(std::size_t capacity)
    : ring_(static_cast<TraceEntry*>(std::calloc(capacity ? capacity : 1, sizeof(TraceEntry)))),
      capacity_(capacity ? capacity : 1) {
  static_assert(std::is_trivially_copyable_v<TraceEntry> && std::is_trivially_destructible_v<TraceEntry>,
                "the ring's entries live in calloc'd memory");
  if (!ring_) throw std::bad_alloc();
}

namespace {
template <std::size_t N>
void copy_text(char (&dst)[N], std::string_view src) {
  std::size_t n = std::min(src.size(), N - 1);
  if (n > 0) std::memcpy(dst, src.data(), n);
  dst[n] = '\0';
}
}  // namespace

TraceEntry& Trace::next_entry(TraceKind kind, double time, int from, int to, std::string_view name,
                              std::uint32_t size) {
  TraceEntry& e = ring_[next_];
  // The ring is far larger than the caches: ask for the entries a few facts
  // ahead now, so that writing them later does not wait for memory.
  const char* ahead = reinterpret_cast<const char*>(&ring_[next_ + 4 < capacity_ ? next_ + 4 : 0]);
  for (std::size_t line = 0; line < sizeof(TraceEntry); line += 64) __builtin_prefetch(ahead + line, 1, 0);
  if (++next_ == capacity_) next_ = 0;
  e.seq = ++total_;
  e.time = time;
  e.kind = kind;
  e.from = from;
  e.to = to;
  e.size = size;
  e.message = 0;
  e.seconds = 0;
  copy_text(e.name, name);
  return e;
}

void Trace::publish(const TraceEntry& e) {
  if (listener_) listener_(e);
}

void Trace::record(TraceKind kind, double time, int from, int to, std::string_view name,
                   std::uint32_t size, std::string_view preview) {
  if (!enabled_) return;
  TraceEntry& e = next_entry(kind, time, from, to, name, size);
  copy_text(e.preview, preview);
  e.preview_raw = false;
  e.preview_len = static_cast<std::uint8_t>(std::strlen(e.preview));
  publish(e);
}

void Trace::record_network(TraceKind kind, double time, int pid, int status, std::string_view name,
                           std::size_t bytes, std::string_view url, double seconds) {
  if (!enabled_) return;
  TraceEntry& e = next_entry(kind, time, pid, status, name,
                             static_cast<std::uint32_t>(std::min<std::size_t>(bytes, UINT32_MAX)));
  copy_text(e.preview, url);
  e.preview_raw = false;
  e.preview_len = static_cast<std::uint8_t>(std::strlen(e.preview));
  e.seconds = seconds;
  publish(e);
}

void Trace::record_message(TraceKind kind, double time, int from, int to, std::string_view name,
                           std::string_view payload, std::uint64_t message) {
  if (!enabled_) return;
  TraceEntry& e = next_entry(kind, time, from, to, name, static_cast<std::uint32_t>(payload.size()));
  e.message = message;
  std::size_t n = std::min(payload.size(), sizeof e.preview);
  if (n > 0) std::memcpy(e.preview, payload.data(), n);
  e.preview_len = static_cast<std::uint8_t>(n);
  e.preview_raw = true;
  publish(e);
}

std::string TraceEntry::preview_text() const {
  if (!preview_raw) return std::string(preview);
  return moonbox::preview(std::string_view(preview, preview_len));
}

const TraceEntry& Trace::at(std::size_t i) const {
  std::uint64_t first = total_ - size();
  return ring_[(first + i) % capacity_];
}

void Trace::copy_since(std::uint64_t after, std::vector<TraceEntry>& out) const {
  for (std::size_t i = 0; i < size(); i++)
    if (at(i).seq > after) out.push_back(at(i));
}

void Trace::clear() {
  total_ = 0;
  next_ = 0;
  payloads_.clear();
  captured_bytes_ = 0;
}

void Trace::set_capture(bool on, std::size_t byte_budget) {
  capture_ = on;
  capture_budget_ = byte_budget;
  if (!on) {
    payloads_.clear();
    captured_bytes_ = 0;
  }
}

void Trace::capture_payload(std::string_view payload) {
  if (!capture_ || !enabled_ || payload.size() > capture_budget_) return;
  payloads_.emplace_back(total_, std::string(payload));
  captured_bytes_ += payload.size();
  while (captured_bytes_ > capture_budget_ || payloads_.size() > capacity_) {
    captured_bytes_ -= payloads_.front().second.size();
    payloads_.pop_front();
  }
}

const std::string* Trace::payload(std::uint64_t seq) const {
  auto it = std::lower_bound(payloads_.begin(), payloads_.end(), seq,
                             [](const auto& p, std::uint64_t s) { return p.first < s; });
  return it != payloads_.end() && it->first == seq ? &it->second : nullptr;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string trace_entry_json(const TraceEntry& e) {
  std::string out;
  char head[160];
  std::snprintf(head, sizeof head, "{\"seq\":%llu,\"time\":%.6f,\"kind\":\"%s\",\"from\":%d,\"to\":%d,\"size\":%u,\"name\":",
                static_cast<unsigned long long>(e.seq), e.time, trace_kind_name(e.kind).data(), e.from,
                e.to, e.size);
  out += head;
  append_json_string(out, e.name_view());
  out += ",\"preview\":";
  append_json_string(out, e.preview_text());
  if (e.kind == TraceKind::HttpRequest || e.kind == TraceKind::HttpResponse || e.kind == TraceKind::WebsocketMessage) {
    out += ",\"url\":";
    append_json_string(out, e.preview_view());
    char extra[96];
    std::snprintf(extra, sizeof extra, ",\"status\":%d,\"bytes\":%u,\"seconds\":%.6f", e.to, e.size, e.seconds);
    out += extra;
  }
  out += '}';
  return out;
}

}  // namespace moonbox
