#include "emulator/debugger/DebuggerModel.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace moonbox::debugger {

bool TrafficFilter::matches(const TraceEntry& e) const {
  if (!(kinds & kind_bit(e.kind))) return false;
  if (pid != 0 && e.from != pid && e.to != pid) return false;
  if (!name.empty() && e.name_view().find(name) == std::string_view::npos) return false;
  return true;
}

int parse_pid(const std::string& text) {
  std::size_t a = text.find_first_not_of(' ');
  if (a == std::string::npos) return 0;
  std::size_t b = text.find_last_not_of(' ');
  int pid = 0;
  auto [end, ec] = std::from_chars(text.data() + a, text.data() + b + 1, pid);
  return ec == std::errc() && end == text.data() + b + 1 && pid > 0 ? pid : 0;
}

// ---------------------------------------------------------------- feed

void TraceFeed::pull(const Trace& trace) {
  if (trace.total() < last_seq_) clear();  // the kernel's trace was cleared
  if (trace.size() > 0) {
    std::uint64_t oldest = trace.at(0).seq;
    if (oldest > last_seq_ + 1) missed_ += oldest - last_seq_ - 1;
  }
  scratch_.clear();
  trace.copy_since(last_seq_, scratch_);
  for (const TraceEntry& e : scratch_) {
    entries_.push_back(e);
    last_seq_ = e.seq;
  }
  if (entries_.size() > capacity_) {
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<long>(entries_.size() - capacity_));
    generation_++;
  }
}

void TraceFeed::clear() {
  entries_.clear();
  generation_++;
}

const TraceEntry* TraceFeed::find(std::uint64_t seq) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), seq,
                             [](const TraceEntry& e, std::uint64_t s) { return e.seq < s; });
  return it != entries_.end() && it->seq == seq ? &*it : nullptr;
}

void FilteredView::update(const TraceFeed& feed, const TrafficFilter& filter) {
  if (!(filter == filter_) || feed.generation() != generation_) {
    filter_ = filter;
    generation_ = feed.generation();
    seqs_.clear();
    scanned_to_ = 0;
  }
  const auto& entries = feed.entries();
  // Walk back to the first entry not yet scanned, then forward.
  auto it = std::upper_bound(entries.begin(), entries.end(), scanned_to_,
                             [](std::uint64_t s, const TraceEntry& e) { return s < e.seq; });
  for (; it != entries.end(); ++it) {
    if (filter_.matches(*it)) seqs_.push_back(it->seq);
    scanned_to_ = it->seq;
  }
}

std::vector<float> event_rates(const TraceFeed& feed, double now, double window, int bins, std::uint32_t kinds) {
  std::vector<float> rates(static_cast<std::size_t>(std::max(bins, 1)), 0.0f);
  double width = window / static_cast<double>(rates.size());
  const auto& entries = feed.entries();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    double age = now - it->time;
    if (age >= window) break;
    if (age < 0 || !(kinds & kind_bit(it->kind))) continue;
    auto bin = rates.size() - 1 - static_cast<std::size_t>(age / width);
    rates[bin] += 1.0f;
  }
  for (float& r : rates) r = static_cast<float>(r / width);
  return rates;
}

// ---------------------------------------------------------------- sequence

int SequenceLayout::lane_of(int pid) const {
  auto it = std::lower_bound(lanes.begin(), lanes.end(), pid);
  return it != lanes.end() && *it == pid ? static_cast<int>(it - lanes.begin()) : -1;
}

SequenceLayout layout_sequence(const TraceFeed& feed, std::size_t max_arrows, int focus_pid) {
  SequenceLayout layout;
  std::vector<const TraceEntry*> sent;
  std::set<std::uint64_t> dropped;  // (from, to, name) of drops are matched by seq+1
  const auto& entries = feed.entries();
  for (auto it = entries.rbegin(); it != entries.rend() && sent.size() < max_arrows; ++it) {
    if (it->kind == TraceKind::EventDropped) dropped.insert(it->seq);
    if (it->kind == TraceKind::EventSent) {
      if (focus_pid && it->from != focus_pid && it->to != focus_pid) continue;
    } else if (it->kind == TraceKind::ModemSent) {
      if (focus_pid && it->from != focus_pid) continue;
    } else if (it->kind == TraceKind::ModemReceived) {
      if (focus_pid) continue;
    } else if (it->kind == TraceKind::Stop || it->kind == TraceKind::Continue) {
      // a debugger's stops (and the continues after them) mark the lifeline
      if (focus_pid && it->to != focus_pid) continue;
      if (it->preview_view() != "breakpoint") continue;
    } else {
      continue;
    }
    sent.push_back(&*it);
  }
  std::reverse(sent.begin(), sent.end());
  // A modem message goes from its process to the network (sent), or from
  // the network to the computer, pid 0 (received).
  auto ends = [](const TraceEntry& e) -> std::pair<int, int> {
    if (e.kind == TraceKind::ModemSent) return {e.from, kNetworkLane};
    if (e.kind == TraceKind::ModemReceived) return {kNetworkLane, 0};
    if (e.kind == TraceKind::Stop || e.kind == TraceKind::Continue) return {e.to, e.to};
    return {e.from, e.to};
  };
  std::set<int> pids;
  for (const TraceEntry* e : sent) {
    pids.insert(ends(*e).first);
    pids.insert(ends(*e).second);
  }
  layout.lanes.assign(pids.begin(), pids.end());
  for (const TraceEntry* e : sent) {
    Arrow a;
    a.from_lane = layout.lane_of(ends(*e).first);
    a.to_lane = layout.lane_of(ends(*e).second);
    a.seq = e->seq;
    a.time = e->time;
    a.mark = e->kind == TraceKind::Stop || e->kind == TraceKind::Continue;
    a.modem = !a.mark && e->kind != TraceKind::EventSent;
    a.label = a.mark ? (e->kind == TraceKind::Stop ? "stopped (breakpoint)" : "continued") : std::string(e->name_view());
    if (a.modem) a.label.append(" ch ").append(std::to_string(e->to));
    if (e->kind == TraceKind::ModemReceived) a.label.append(" from #").append(std::to_string(e->from));
    // The kernel records event_dropped right after event_sent when it refuses.
    a.dropped = dropped.count(e->seq + 1) > 0;
    layout.arrows.push_back(std::move(a));
  }
  return layout;
}

// ---------------------------------------------------------------- processes

void CpuMeter::update(const std::vector<ProcessRow>& rows, double now) {
  double dt = last_time_ < 0 ? 0 : now - last_time_;
  std::map<Key, double> cpu;
  for (const ProcessRow& r : rows) {
    Key key{r.computer, r.pid};
    cpu[key] = r.cpu_time;
    auto it = last_cpu_.find(key);
    if (dt > 0 && it != last_cpu_.end()) percent_[key] = 100.0 * (r.cpu_time - it->second) / dt;
  }
  for (auto it = percent_.begin(); it != percent_.end();)
    it = cpu.count(it->first) ? std::next(it) : percent_.erase(it);
  last_cpu_ = std::move(cpu);
  last_time_ = now;
}

double CpuMeter::percent(int pid, int computer) const {
  auto it = percent_.find(Key{computer, pid});
  return it == percent_.end() ? 0.0 : it->second;
}

void sort_rows(std::vector<ProcessRow>& rows, Column column, bool ascending, const CpuMeter& cpu) {
  auto key_less = [&](const ProcessRow& a, const ProcessRow& b) {
    switch (column) {
      case Column::Pid: return a.pid < b.pid;
      case Column::Ppid: return a.ppid < b.ppid;
      case Column::Name: return a.name < b.name;
      case Column::User: return a.user < b.user;
      case Column::State: return static_cast<int>(a.state) < static_cast<int>(b.state);
      case Column::Cpu: return cpu.percent(a.pid, a.computer) < cpu.percent(b.pid, b.computer);
      case Column::Computer: return a.computer < b.computer || (a.computer == b.computer && a.pid < b.pid);
      case Column::Memory: return a.memory < b.memory;
      case Column::Queue: return a.queue < b.queue;
    }
    return false;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const ProcessRow& a, const ProcessRow& b) {
    return ascending ? key_less(a, b) : key_less(b, a);
  });
}

std::vector<ServiceLine> service_lines(const std::vector<ProcessRow>& rows, const TraceFeed& feed) {
  std::vector<ServiceLine> lines;
  for (const ProcessRow& r : rows)
    for (const std::string& name : r.services) lines.push_back({name, r.pid, 0, 0});
  std::sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const TraceEntry& e : feed.entries()) {
    if (e.kind != TraceKind::EventSent) continue;
    for (ServiceLine& l : lines) {
      if (e.to == l.owner) l.received++;
      if (e.from == l.owner) l.sent++;
    }
  }
  return lines;
}

}  // namespace moonbox::debugger
