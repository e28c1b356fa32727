// The scheduler: preemption, blocking, timers, exit statuses, reaping.
#include <doctest/doctest.h>

#include "tests/support/KernelHarness.h"

using namespace moonbox;

TEST_CASE("busy processes share the processor") {
  test::Harness h;
  int a = h.spawn("while true do end");
  int b = h.spawn("local x = 0 while true do x = x + 1 end");
  int c = h.spawn("pcall(function() while true do end end)");
  // Each gets slices while the others never yield (a wall-time budget of
  // 50 ms failed on 2 cores loaded by other tests under TSan).
  REQUIRE(h.run_until([&] {
    return h.proc(a)->cpu_time() > 0 && h.proc(b)->cpu_time() > 0 && h.proc(c)->cpu_time() > 0;
  }));
  for (int pid : {a, b, c}) {
    CAPTURE(pid);
    CHECK(h.proc(pid)->cpu_time() > 0);
    CHECK(h.proc(pid)->alive());
  }
}

TEST_CASE("exit statuses") {
  test::Harness h;
  int clean = h.spawn("local x = 1");
  int code = h.spawn("require('system.process').exit(42)");
  int failed = h.spawn("error('bad')");
  int nonstring = h.spawn("error({})");
  int caught_exit = h.spawn("pcall(require('system.process').exit, 3) error('not reached')");
  REQUIRE(h.run_until([&] {
    return h.exited(clean) && h.exited(code) && h.exited(failed) && h.exited(nonstring) && h.exited(caught_exit);
  }));
  CHECK(h.proc(clean)->exit_status() == 0);
  CHECK(h.proc(code)->exit_status() == 42);
  CHECK(h.proc(failed)->exit_status() == 1);
  CHECK(h.proc(failed)->error().find("bad") != std::string::npos);
  CHECK(h.proc(nonstring)->exit_status() == 1);
  CHECK(h.proc(nonstring)->error() == "(error object is a table value)");
  CHECK(h.proc(caught_exit)->exit_status() == 3);
}

TEST_CASE("exit where nothing can yield still ends the process") {
  test::Harness h;
  int pid = h.spawn(R"(
    local process = require("system.process")
    table.sort({1, 2, 3}, function(a, b)
      pcall(process.exit, 9)  -- cannot yield here; the marker error is caught...
      return a < b            -- ...but the hook raises it again
    end)
    while true do end
  )");
  REQUIRE(h.run_until([&] { return h.exited(pid); }));
  CHECK(h.proc(pid)->exit_status() == 9);
}

TEST_CASE("too long without yielding, with a short limit, also inside coroutines") {
  KernelConfig config;
  config.yield_limit = 0.2;
  test::Harness h(config);
  // Metamethods called from C (tostring's __tostring, gsub's table lookups)
  // cannot yield; sort comparators and gsub functions can (they are
  // preempted like any Lua code, see below).
  int sorted = h.spawn("tostring(setmetatable({}, {__tostring = function() while true do end end}))");
  int nested = h.spawn(R"(
    tostring(setmetatable({}, {__tostring = function()
      coroutine.wrap(function() while true do end end)()
    end}))
  )");
  int gsub = h.spawn("string.gsub('aaaa', 'a', setmetatable({}, {__index = function() while true do end end}))");
  // Pure C work: a pathological pattern runs no Lua instruction, so only
  // the matcher's own step budget can stop it (the design's third trap).
  int pattern = h.spawn("string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')");
  int gmatch = h.spawn("for _ in string.gmatch(string.rep('a', 40), string.rep('a*', 40) .. 'b') do end");
  REQUIRE(h.run_until([&] {
    return h.exited(sorted) && h.exited(nested) && h.exited(gsub) && h.exited(pattern) && h.exited(gmatch);
  }, 20));
  for (int pid : {sorted, nested, gsub, pattern, gmatch}) {
    CAPTURE(pid);
    CHECK(h.proc(pid)->error().find("too long without yielding") != std::string::npos);
  }
}

TEST_CASE("sort comparators and gsub callbacks are preempted like any Lua code") {
  KernelConfig config;
  config.yield_limit = 0.2;
  test::Harness h(config);
  int sorted = h.spawn("table.sort({3, 2, 1}, function() while true do end end)");
  int gsub = h.spawn("string.gsub('aaaa', 'a', function() while true do end end)");
  int counter = h.spawn("for i = 1, 3 do sleep(0.1) print('tick', i) end");
  REQUIRE(h.run_until([&] { return h.exited(counter); }, 20));
  h.run_for(0.3);  // past the yield limit: they are preempted, not stuck
  CHECK(h.proc(sorted)->alive());
  CHECK(h.proc(gsub)->alive());
  CHECK(h.proc(sorted)->cpu_time() > 0.05);
  h.kernel->kill(0, sorted, kSigKILL);
  h.kernel->kill(0, gsub, kSigKILL);
  REQUIRE(h.run_until([&] { return h.exited(sorted) && h.exited(gsub); }));
}

TEST_CASE("timers, timeouts and sleep") {
  test::Harness h;
  int pid = h.spawn(R"(
    local ipc = require("system.ipc")
    local id = os.startTimer(0.02)
    local cancelled = os.startTimer(0.01)
    os.cancelTimer(cancelled)
    local ev, got = os.pullEvent("timer")
    print("timer", got == id)
    print("timeout", ipc.receiveEvent(nil, nil, 0.02))
    require("system.process").sleep(0.02)
    print("slept")
    os.queueEvent("mine", 1, "two")
    print("queued", os.pullEvent("mine"))
  )");
  REQUIRE(h.run_until([&] { return h.exited(pid); }));
  CHECK(h.proc(pid)->exit_status() == 0);
  CHECK(h.console.printed("timer\ttrue"));
  CHECK(h.console.printed("timeout\tnil"));
  CHECK(h.console.printed("slept"));
  CHECK(h.console.printed("queued\tmine\t1\ttwo"));
}

TEST_CASE("a parent learns of its child's end; orphans go to init") {
  test::Harness h(false);
  int init = h.spawn(R"(
    local process = require("system.process")
    while true do
      local _, info = os.pullEventRaw("process_complete")
      print("init reaps " .. info.id)
      process.wait(info.id)
    end
  )", "root");
  REQUIRE(init == 1);
  int parent = h.spawn(R"lua(
    local process = require("system.process")
    local child = process.startString("require('system.process').sleep(0.05)", "orphan")
    print("child " .. child)
  )lua", "user", init);
  REQUIRE(h.run_until([&] { return h.exited(parent) || !h.proc(parent); }));
  int orphan = parent + 1;
  REQUIRE(h.run_until([&] { return h.proc(orphan) == nullptr; }));
  CHECK(h.console.printed("init reaps " + std::to_string(parent)));
  CHECK(h.console.printed("init reaps " + std::to_string(orphan)));
  CHECK(h.kernel->live_count() == 1);
}

TEST_CASE("pids count up and are never reused") {
  test::Harness h;
  int a = h.spawn("local x");
  h.run_until([&] { return h.exited(a); });
  int b = h.spawn("local x");
  CHECK(b == a + 1);
}

TEST_CASE("a syntax error is a failed spawn, not a process") {
  test::Harness h;
  SpawnRequest req;
  req.name = "broken";
  req.source = "this is not lua";
  SpawnResult r = h.kernel->spawn(req);
  CHECK_FALSE(r.ok());
  CHECK(std::string(r.message()).find("broken") != std::string::npos);
}

TEST_CASE("the debugger's controls: pause, step one slice, resume") {
  // Without init: at a sanitizer's speed init's first slice may still be
  // on its way to its first pullEvent after 10 ms, and the step runs it.
  test::Harness h(false);
  int a = h.spawn("while true do end");
  int b = h.spawn("while true do end");
  h.run_for(0.01);
  h.kernel->scheduler().set_paused(true);
  double ca = h.proc(a)->cpu_time(), cb = h.proc(b)->cpu_time();
  h.run_for(0.03);
  CHECK(h.proc(a)->cpu_time() == ca);
  CHECK(h.proc(b)->cpu_time() == cb);
  int ran = h.kernel->scheduler().step();
  INFO("step ran " << ran << " (a " << a << ", b " << b << ")");
  CHECK((ran == a || ran == b));
  CHECK(((h.proc(a)->cpu_time() > ca) != (h.proc(b)->cpu_time() > cb)));  // exactly one ran
  h.kernel->scheduler().set_paused(false);
  h.run_for(0.02);
  CHECK(h.proc(a)->cpu_time() > ca);
  CHECK(h.proc(b)->cpu_time() > cb);
}

TEST_CASE("snapshots copy what the process table shows") {
  test::Harness h;
  int pid = h.spawn(R"(
    local ipc = require("system.ipc")
    ipc.register("svc")
    ipc.sigaction(ipc.signal.SIGUSR1, function() end)
    ipc.receiveEvent(7, "hello")
  )");
  REQUIRE(h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; }));
  auto rows = h.kernel->snapshot();
  const ProcessRow* row = nullptr;
  for (const auto& r : rows)
    if (r.pid == pid) row = &r;
  REQUIRE(row);
  CHECK(row->waiting == "receiveEvent from 7 'hello'");
  CHECK(row->services == std::vector<std::string>{"svc"});
  CHECK(row->handlers == std::vector<int>{kSigUSR1});
  CHECK(row->memory > 0);
  CHECK(h.kernel->traceback(pid).find("receiveEvent") != std::string::npos);
}

TEST_CASE("whole messages are kept for the inspector only when asked") {
  test::Harness h;
  h.kernel->trace().set_capture(true, 1000);
  int pid = h.spawn(R"(
    local ipc = require("system.ipc")
    local me = require("system.process").getpid()
    ipc.sendEvent(me, "small", {n = 1})
    ipc.sendEvent(me, "big", {s = string.rep("x", 5000)})
  )");
  REQUIRE(h.run_until([&] { return h.exited(pid); }));
  const Trace& t = h.kernel->trace();
  std::uint64_t small = 0, big = 0;
  for (std::size_t i = 0; i < t.size(); i++) {
    if (t.at(i).kind != TraceKind::EventSent) continue;
    if (t.at(i).name_view() == "small") small = t.at(i).seq;
    if (t.at(i).name_view() == "big") big = t.at(i).seq;
  }
  REQUIRE(t.payload(small));
  CHECK(preview(*t.payload(small)) == "{n=1}");
  CHECK(t.payload(big) == nullptr);  // over the byte budget
}

namespace {
// A pair that sends a message back and forth `rounds` times. (Not many
// more: ThreadSanitizer loses a few frames of its shadow stack at each
// yield from inside a binding, as it cannot see liblua's setjmp, and dies
// after some tens of thousands.)
const char* kPinger = R"(
  local ipc, peer, rounds = require("system.ipc"), nil, 4000
  local _, p = ipc.receiveEvent(nil, "peer")
  peer = p.pid
  for i = 1, rounds do
    ipc.sendEvent(peer, "ping", {i = i})
    ipc.receiveEvent(peer, "pong")
  end
  ipc.sendEvent(peer, "done")
)";
const char* kPonger = R"(
  local ipc = require("system.ipc")
  while true do
    local ev, _, from = ipc.receiveEvent()
    if ev == "done" then return end
    ipc.sendEvent(from, "pong")
  end
)";
}  // namespace

TEST_CASE("a woken receiver runs at once on the rest of its waker's slice, and others still get their turn") {
  test::Harness h;
  int ponger = h.spawn(kPonger);
  int pinger = h.spawn(kPinger);
  int busy = h.spawn("local x = 0 while true do x = x + 1 end");
  std::string peer;
  MessageWriter(peer).begin_table().key("pid").integer(ponger).end_table().finish();
  REQUIRE(h.kernel->send_event(0, pinger, "peer", peer).ok());
  std::uint64_t before = h.kernel->scheduler().direct_switches();
  REQUIRE(h.run_until([&] { return h.exited(pinger) && h.exited(ponger); }, 60));
  // Nearly every one of the 8,000 messages woke its receiver while the
  // sender then waited: a direct switch each.
  CHECK(h.kernel->scheduler().direct_switches() - before > 6000);
  // The chain of switches never held the processor past a slice: the busy
  // process had about as much of it as the pair (a share, not a time).
  double pair = h.proc(pinger)->cpu_time() + h.proc(ponger)->cpu_time();
  CHECK(h.proc(busy)->cpu_time() > 0.3 * pair);
}
