// The debugger's view-models: what the panels show, computed from trace
// entries and process-table snapshots, with no ImGui in sight (so that they
// can be tested). The panels (Panels.cpp) only draw what these produce.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "vm/kernel/Kernel.h"
#include "vm/kernel/Trace.h"

namespace moonbox::debugger {

constexpr std::uint32_t kind_bit(TraceKind k) { return 1u << static_cast<unsigned>(k); }
constexpr std::uint32_t kAllKinds = (1u << (static_cast<unsigned>(TraceKind::BridgeDropped) + 1)) - 1;
constexpr std::uint32_t kSignalKinds =
    kind_bit(TraceKind::SignalSent) | kind_bit(TraceKind::SignalHandled) | kind_bit(TraceKind::SignalDefault);
constexpr std::uint32_t kMessageKinds = kind_bit(TraceKind::EventSent) | kind_bit(TraceKind::EventQueued) |
                                        kind_bit(TraceKind::EventDropped) | kind_bit(TraceKind::EventReceived);
constexpr std::uint32_t kModemKinds =
    kind_bit(TraceKind::ModemSent) | kind_bit(TraceKind::ModemReceived) | kind_bit(TraceKind::BridgeDropped);
constexpr std::uint32_t kNetworkKinds =
    kind_bit(TraceKind::HttpRequest) | kind_bit(TraceKind::HttpResponse) | kind_bit(TraceKind::WebsocketMessage);

// Which trace entries a log shows. Any text is a valid filter.
struct TrafficFilter {
  int pid = 0;                   // 0: any; else entries from or to this pid
  std::string name;              // substring of the entry's name; "" = any
  std::uint32_t kinds = kAllKinds;
  bool matches(const TraceEntry& e) const;
  bool operator==(const TrafficFilter&) const = default;
};

// Parses a pid filter typed by a person: "", "12", " 12 " -> 0/12; junk -> 0.
int parse_pid(const std::string& text);

// A bounded local copy of the kernel's trace, pulled once per frame, so that
// panels never hold on to kernel state and can pause while the kernel runs.
class TraceFeed {
 public:
  explicit TraceFeed(std::size_t capacity = 100000) : capacity_(capacity) {}
  // Copies the entries recorded since the last pull. If the kernel's ring
  // wrapped past entries we never saw, they are counted as missed.
  void pull(const Trace& trace);
  void clear();
  const std::deque<TraceEntry>& entries() const { return entries_; }
  std::uint64_t missed() const { return missed_; }
  std::uint64_t last_seq() const { return last_seq_; }
  // The entry with this seq, if still held.
  const TraceEntry* find(std::uint64_t seq) const;
  std::uint64_t generation() const { return generation_; }  // changes when entries are dropped

 private:
  std::size_t capacity_;
  std::deque<TraceEntry> entries_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t missed_ = 0;
  std::uint64_t generation_ = 0;
  std::vector<TraceEntry> scratch_;
};

// The seqs of the feed's entries that match a filter, kept up to date
// incrementally (a full rescan only when the filter or the feed changes).
class FilteredView {
 public:
  void update(const TraceFeed& feed, const TrafficFilter& filter);
  const std::vector<std::uint64_t>& seqs() const { return seqs_; }

 private:
  TrafficFilter filter_;
  std::uint64_t scanned_to_ = 0;
  std::uint64_t generation_ = ~0ull;
  std::vector<std::uint64_t> seqs_;
};

// Events per second over the last `window` seconds, in `bins` bins (oldest
// first), counting entries of the given kinds.
std::vector<float> event_rates(const TraceFeed& feed, double now, double window, int bins,
                               std::uint32_t kinds = kind_bit(TraceKind::EventSent));

// The sequence chart: one lifeline per process, one arrow per message.
struct Arrow {
  int from_lane = 0, to_lane = 0;
  std::uint64_t seq = 0;
  double time = 0;
  std::string label;  // event name, or a modem's channel
  bool dropped = false;
  bool modem = false;   // modem traffic: to or from the network lane
  bool mark = false;    // not a message: the process on from_lane stopped for a debugger, or went on
};
// The lane of the modem network in the sequence chart (left of pid 0, the
// computer itself, which receives modem messages).
constexpr int kNetworkLane = -1;
struct SequenceLayout {
  std::vector<int> lanes;  // pids, ascending; lane i is lanes[i]
  std::vector<Arrow> arrows;  // oldest first
  int lane_of(int pid) const;
};
// The most recent max_arrows messages (event_sent, and modem traffic as
// arrows to and from the network lane), optionally only those from or to
// focus_pid. A message later dropped is marked.
SequenceLayout layout_sequence(const TraceFeed& feed, std::size_t max_arrows, int focus_pid = 0);

// CPU use per process between two snapshots, in percent of one core.
class CpuMeter {
 public:
  void update(const std::vector<ProcessRow>& rows, double now);
  double percent(int pid, int computer = 0) const;

 private:
  using Key = std::pair<int, int>;  // computer, pid
  std::map<Key, double> last_cpu_, percent_;
  double last_time_ = -1;
};

enum class Column { Pid, Ppid, Name, User, State, Cpu, Memory, Queue, Computer };
// Sorts rows for the process table.
void sort_rows(std::vector<ProcessRow>& rows, Column column, bool ascending, const CpuMeter& cpu);

// Messages to each service's owner, counted over the feed.
struct ServiceLine {
  std::string name;
  int owner = 0;
  std::size_t received = 0, sent = 0;
};
std::vector<ServiceLine> service_lines(const std::vector<ProcessRow>& rows, const TraceFeed& feed);

}  // namespace moonbox::debugger
