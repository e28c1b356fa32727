// The debugger's view-models: filters, the feed, rates, the sequence chart,
// CPU use, sorting, services, and the lazy value inspector.
#include <doctest/doctest.h>

#include <lua.hpp>

#include "emulator/debugger/DebuggerModel.h"
#include "vm/kernel/ValueCodec.h"

using namespace moonbox;
using namespace moonbox::debugger;

namespace {
void sent(Trace& t, double time, int from, int to, const char* name) {
  t.record(TraceKind::EventSent, time, from, to, name, 10, "{}");
}
}  // namespace

TEST_CASE("filters take any text and match pid, name and kind") {
  CHECK(parse_pid("") == 0);
  CHECK(parse_pid(" 12 ") == 12);
  CHECK(parse_pid("12abc") == 0);
  CHECK(parse_pid("-3") == 0);
  CHECK(parse_pid("99999999999999999999") == 0);
  CHECK(parse_pid("\xff\xfe") == 0);
  TraceEntry e;
  e.kind = TraceKind::EventSent;
  e.from = 3;
  e.to = 4;
  std::snprintf(e.name, sizeof e.name, "time?");
  CHECK(TrafficFilter{}.matches(e));
  CHECK(TrafficFilter{4, "", kAllKinds}.matches(e));
  CHECK_FALSE(TrafficFilter{5, "", kAllKinds}.matches(e));
  CHECK(TrafficFilter{0, "ime", kAllKinds}.matches(e));
  CHECK_FALSE(TrafficFilter{0, "[(*", kAllKinds}.matches(e));  // plain text, not a pattern
  CHECK_FALSE(TrafficFilter{0, "", kSignalKinds}.matches(e));
}

TEST_CASE("the feed copies new entries, survives wrap-around, and stays bounded") {
  Trace trace(8);
  TraceFeed feed(5);
  for (int i = 0; i < 3; i++) sent(trace, i, 1, 2, "a");
  feed.pull(trace);
  CHECK(feed.entries().size() == 3);
  for (int i = 0; i < 20; i++) sent(trace, 10 + i, 1, 2, "b");  // the ring wraps before the next pull
  feed.pull(trace);
  CHECK(feed.missed() == 12);           // 20 new, the ring kept 8
  CHECK(feed.entries().size() == 5);    // bounded
  CHECK(feed.entries().back().seq == 23);
  CHECK(feed.find(23) != nullptr);
  CHECK(feed.find(2) == nullptr);
}

TEST_CASE("the filtered view updates incrementally and rescans on change") {
  Trace trace(100);
  TraceFeed feed;
  FilteredView view;
  sent(trace, 0, 1, 2, "ping");
  sent(trace, 0, 2, 1, "pong");
  feed.pull(trace);
  TrafficFilter f{0, "ping", kAllKinds};
  view.update(feed, f);
  CHECK(view.seqs() == std::vector<std::uint64_t>{1});
  sent(trace, 0, 1, 2, "ping");
  feed.pull(trace);
  view.update(feed, f);
  CHECK(view.seqs() == std::vector<std::uint64_t>{1, 3});
  f.name = "";
  view.update(feed, f);
  CHECK(view.seqs().size() == 3);
  feed.clear();
  view.update(feed, f);
  CHECK(view.seqs().empty());
}

TEST_CASE("rates count events per second in bins") {
  Trace trace(100);
  TraceFeed feed;
  for (int i = 0; i < 10; i++) sent(trace, 9.5, 1, 2, "x");  // 10 in the last second
  for (int i = 0; i < 4; i++) sent(trace, 5.2, 1, 2, "x");   // 4 around 5 s ago
  trace.record(TraceKind::Spawn, 9.6, 0, 1, "init");          // another kind: not counted
  feed.pull(trace);
  auto rates = event_rates(feed, 10.0, 10.0, 10);
  REQUIRE(rates.size() == 10);
  CHECK(rates[9] == doctest::Approx(10.0));
  CHECK(rates[5] == doctest::Approx(4.0));
  CHECK(rates[0] == doctest::Approx(0.0));
}

TEST_CASE("the sequence chart lays out lifelines and arrows") {
  Trace trace(100);
  TraceFeed feed;
  sent(trace, 1, 5, 3, "time?");
  sent(trace, 2, 3, 5, "time");
  sent(trace, 3, 7, 3, "time?");
  trace.record(TraceKind::EventDropped, 3, 7, 3, "time?", 10, "queue full");
  sent(trace, 4, 3, 3, "self");
  feed.pull(trace);
  SequenceLayout all = layout_sequence(feed, 10);
  CHECK(all.lanes == std::vector<int>{3, 5, 7});
  REQUIRE(all.arrows.size() == 4);
  CHECK(all.arrows[0].from_lane == 1);  // 5 -> 3
  CHECK(all.arrows[0].to_lane == 0);
  CHECK(all.arrows[1].from_lane == 0);  // 3 -> 5: the reply comes back
  CHECK(all.arrows[1].to_lane == 1);
  CHECK(all.arrows[2].dropped);
  CHECK_FALSE(all.arrows[1].dropped);
  CHECK(all.arrows[3].from_lane == all.arrows[3].to_lane);
  SequenceLayout recent = layout_sequence(feed, 2);
  CHECK(recent.arrows.size() == 2);
  CHECK(recent.arrows.back().label == "self");
  SequenceLayout focus = layout_sequence(feed, 10, 5);
  CHECK(focus.arrows.size() == 2);
  CHECK(focus.lanes == std::vector<int>{3, 5});
}

TEST_CASE("the sequence chart marks where a process stopped for a debugger, and went on") {
  Trace trace(100);
  TraceFeed feed;
  sent(trace, 1, 5, 3, "ping");
  trace.record(TraceKind::Stop, 2, 0, 3, "prog", 0, "breakpoint");
  trace.record(TraceKind::Stop, 2.5, 0, 5, "other", 0, "");  // Ctrl+Z: not a debugger's stop
  sent(trace, 3, 5, 3, "ping");
  trace.record(TraceKind::Continue, 3.5, 0, 5, "other", 0, "");  // fg: not a debugger's
  trace.record(TraceKind::Continue, 4, 0, 3, "prog", 0, "breakpoint");
  feed.pull(trace);
  SequenceLayout chart = layout_sequence(feed, 10);
  REQUIRE(chart.arrows.size() == 4);
  CHECK(chart.arrows[1].mark);
  CHECK(chart.arrows[1].label == "stopped (breakpoint)");
  CHECK(chart.arrows[1].from_lane == chart.lane_of(3));
  CHECK_FALSE(chart.arrows[2].mark);  // the message queued while it was stopped
  CHECK(chart.arrows[3].mark);
  CHECK(chart.arrows[3].label == "continued");
}

TEST_CASE("CPU use, sorting and services from snapshots") {
  std::vector<ProcessRow> rows(3);
  rows[0].pid = 1; rows[0].name = "init"; rows[0].cpu_time = 0; rows[0].memory = 300;
  rows[1].pid = 2; rows[1].name = "busy"; rows[1].cpu_time = 1.0; rows[1].memory = 100;
  rows[2].pid = 3; rows[2].name = "clock"; rows[2].cpu_time = 0; rows[2].memory = 200;
  rows[2].services = {"clock"};
  CpuMeter cpu;
  cpu.update(rows, 10.0);
  rows[1].cpu_time = 1.5;
  cpu.update(rows, 11.0);
  CHECK(cpu.percent(2) == doctest::Approx(50.0));
  CHECK(cpu.percent(1) == doctest::Approx(0.0));
  sort_rows(rows, Column::Cpu, false, cpu);
  CHECK(rows[0].pid == 2);
  sort_rows(rows, Column::Memory, true, cpu);
  CHECK(rows[0].pid == 2);
  CHECK(rows[2].pid == 1);
  sort_rows(rows, Column::Name, true, cpu);
  CHECK(rows[0].name == "busy");
  rows.erase(rows.begin());  // a process that exits while shown
  cpu.update(rows, 12.0);
  CHECK(cpu.percent(2) == 0.0);

  Trace trace(100);
  TraceFeed feed;
  sent(trace, 1, 4, 3, "time?");
  sent(trace, 1, 3, 4, "time");
  sent(trace, 1, 5, 3, "time?");
  feed.pull(trace);
  auto lines = service_lines(rows, feed);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].name == "clock");
  CHECK(lines[0].received == 2);
  CHECK(lines[0].sent == 1);
}

TEST_CASE("the value inspector expands one level at a time") {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  REQUIRE(luaL_dostring(L, "local t = {n = 1, s = 'hi', list = {10, 20, {deep = true}}, [2] = false}"
                           " t.me = t return t") == LUA_OK);
  Encoder enc;
  std::string msg;
  REQUIRE(enc.encode(L, lua_gettop(L), 1, msg) == EncodeStatus::Ok);
  lua_close(L);
  auto top = inspect(msg, 0, 100);
  REQUIRE(top.size() == 1);
  CHECK(top[0].key == "#1");
  CHECK(top[0].value == "{...} (5 entries)");
  REQUIRE(top[0].table_at != 0);
  auto fields = inspect(msg, top[0].table_at, 100);
  std::map<std::string, InspectEntry> by_key;
  for (auto& f : fields) by_key[f.key] = f;
  CHECK(by_key["n"].value == "1");
  CHECK(by_key["s"].value == "\"hi\"");
  CHECK(by_key["[2]"].value == "false");
  CHECK(by_key["me"].value == "<ref 1>");
  REQUIRE(by_key["list"].table_at != 0);
  auto list = inspect(msg, by_key["list"].table_at, 100);
  REQUIRE(list.size() == 3);
  CHECK(list[0].key == "[1]");
  CHECK(list[2].value == "{...} (1 entry)");
  bool more = false;
  CHECK(inspect(msg, by_key["list"].table_at, 2, &more).size() == 2);
  CHECK(more);
  // Offsets that do not point at a table, and corrupt input: empty, no crash.
  CHECK(inspect(msg, 3, 10).empty());
  CHECK(inspect(msg, msg.size() + 10, 10).empty());
  CHECK(inspect(msg.substr(0, msg.size() / 2), top[0].table_at, 100).size() < fields.size());
  CHECK(inspect("", 0, 10).empty());
}
