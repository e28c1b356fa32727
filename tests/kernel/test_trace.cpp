// Trace: the ring buffer, its JSON form, and the facts a real scenario makes.
#include <doctest/doctest.h>

#include <set>

#include "tests/support/KernelHarness.h"
#include "vm/kernel/Trace.h"

using namespace moonbox;

TEST_CASE("entries are ordered and the ring wraps around") {
  Trace trace(4);
  for (int i = 1; i <= 10; i++) trace.record(TraceKind::EventSent, i, i, i + 1, std::string(1, 'e') + std::to_string(i));
  CHECK(trace.size() == 4);
  CHECK(trace.total() == 10);
  for (std::size_t i = 0; i < 4; i++) {
    CHECK(trace.at(i).seq == 7 + i);
    CHECK(trace.at(i).from == static_cast<int>(7 + i));
  }
  std::vector<TraceEntry> since;
  trace.copy_since(8, since);
  REQUIRE(since.size() == 2);
  CHECK(since[0].seq == 9);
  CHECK(since[1].name_view() == "e10");
}

TEST_CASE("long names and previews are cut, never overflow") {
  Trace trace(2);
  std::string huge(10000, 'x');
  trace.record(TraceKind::EventQueued, 0, 1, 2, huge, 10000, huge);
  CHECK(trace.at(0).name_view().size() == sizeof(TraceEntry::name) - 1);
  CHECK(trace.at(0).preview_view().size() == sizeof(TraceEntry::preview) - 1);
}

TEST_CASE("switched off, nothing is recorded") {
  Trace trace(8);
  trace.set_enabled(false);
  trace.record(TraceKind::Spawn, 0, 0, 1, "x");
  CHECK(trace.size() == 0);
  trace.set_enabled(true);
  trace.record(TraceKind::Spawn, 0, 0, 1, "x");
  CHECK(trace.size() == 1);
}

TEST_CASE("JSON lines escape what they must") {
  TraceEntry e;
  e.seq = 3;
  e.time = 1.5;
  e.kind = TraceKind::EventDropped;
  e.from = 2;
  e.to = 7;
  e.size = 12;
  std::snprintf(e.name, sizeof e.name, "a\"b\\c");
  std::snprintf(e.preview, sizeof e.preview, "line\nnext\x01");
  CHECK(trace_entry_json(e) ==
        "{\"seq\":3,\"time\":1.500000,\"kind\":\"event_dropped\",\"from\":2,\"to\":7,\"size\":12,"
        "\"name\":\"a\\\"b\\\\c\",\"preview\":\"line\\nnext\\u0001\"}");
}

TEST_CASE("a real scenario produces every kind of fact") {
  test::Harness h;
  int service = h.spawn(R"(
    local ipc = require("system.ipc")
    ipc.register("svc")
    ipc.sigaction(ipc.signal.SIGUSR1, function() end)
    local ev, p, from = ipc.receiveEvent(nil, "req")
    ipc.sendEvent(from, "reply", {ok = true})
    ipc.receiveEvent(nil, "never")
  )", "root");
  int client = h.spawn(R"(
    local ipc = require("system.ipc")
    local process = require("system.process")
    process.sleep(0.01)
    ipc.sendServiceEvent("svc", "req", {n = 1})
    ipc.receiveEvent(nil, "reply")
    ipc.kill(ipc.lookup("svc"), ipc.signal.SIGUSR1)
    process.sleep(0.02)  -- the handler runs when the service is scheduled
    ipc.sendEvent(424242, "lost", {})
    ipc.kill(ipc.lookup("svc"), ipc.signal.SIGSTOP)
    ipc.kill(ipc.lookup("svc"), ipc.signal.SIGCONT)
    ipc.kill(ipc.lookup("svc"), ipc.signal.SIGTERM)
  )", "root");
  REQUIRE(h.run_until([&] { return h.exited(client) && h.exited(service); }));
  std::set<TraceKind> kinds;
  const Trace& t = h.kernel->trace();
  for (std::size_t i = 0; i < t.size(); i++) kinds.insert(t.at(i).kind);
  for (TraceKind k : {TraceKind::Spawn, TraceKind::Exit, TraceKind::SignalSent, TraceKind::SignalHandled,
                      TraceKind::SignalDefault, TraceKind::EventSent, TraceKind::EventQueued,
                      TraceKind::EventDropped, TraceKind::EventReceived, TraceKind::ServiceRegistered,
                      TraceKind::ServiceReleased, TraceKind::Stop, TraceKind::Continue}) {
    CAPTURE(trace_kind_name(k));
    CHECK(kinds.count(k) == 1);
  }
  // Sequence numbers increase and the request's preview is readable.
  bool saw_request = false;
  for (std::size_t i = 0; i < t.size(); i++) {
    if (i > 0) CHECK(t.at(i).seq == t.at(i - 1).seq + 1);
    if (t.at(i).kind == TraceKind::EventSent && t.at(i).name_view() == "req") {
      saw_request = true;
      CHECK(t.at(i).from == client);
      CHECK(t.at(i).to == service);
      CHECK(t.at(i).preview_text() == "{n=1}");
    }
  }
  CHECK(saw_request);
}
