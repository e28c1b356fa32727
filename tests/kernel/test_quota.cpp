// Memory quotas: a process that runs out ends alone; accounting stays exact.
#include <doctest/doctest.h>

#include <atomic>
#include <random>
#include <thread>

#include "tests/support/KernelHarness.h"

using namespace moonbox;

TEST_CASE("a hog dies of not enough memory and nothing else notices") {
  test::Harness h;
  int quiet = h.spawn("require('system.ipc').receiveEvent(nil, 'never')");
  REQUIRE(h.run_until([&] { return h.proc(quiet)->state() == ProcState::Blocked; }));
  std::size_t quiet_used = h.proc(quiet)->memory().used;
  int hog = h.spawn("local t = {} while true do t[#t + 1] = string.rep('x', 4096) .. #t end", "user", 0,
                    2u << 20);
  REQUIRE(h.run_until([&] { return h.exited(hog); }));
  CHECK(h.proc(hog)->exit_status() == 1);
  CHECK(h.proc(hog)->error().find("not enough memory") != std::string::npos);
  CHECK(h.proc(hog)->memory().used == 0);  // its state is closed, every byte returned
  CHECK(h.proc(hog)->memory().peak <= (2u << 20) + 256 * 1024);
  CHECK(h.proc(quiet)->alive());
  CHECK(h.proc(quiet)->memory().used == quiet_used);
}

TEST_CASE("the quota is never exceeded, whatever the program does") {
  for (const char* body : {
           "local s = 'x' while true do s = s .. s end",
           "local t = {} local i = 0 while true do i = i + 1 t[i] = function() return i end end",
           "local cs = {} while true do cs[#cs + 1] = coroutine.create(function() end) end",
           "local function f(...) return f(1, ...) end f()",
       }) {
    test::Harness h;
    std::size_t limit = 1u << 20;
    int pid = h.spawn(body, "user", 0, limit);
    CAPTURE(body);
    REQUIRE(h.run_until([&] { return h.exited(pid); }));
    CHECK(h.proc(pid)->exit_status() == 1);
    CHECK(h.proc(pid)->memory().used == 0);
    CHECK(h.proc(pid)->memory().failures > 0);
  }
}

TEST_CASE("a state that cannot even start fails to spawn cleanly") {
  test::Harness h;
  SpawnRequest req;
  req.name = "tiny";
  req.source = "print('hi')";
  req.memory_limit = 4096;
  SpawnResult r = h.kernel->spawn(req);
  CHECK_FALSE(r.ok());
  CHECK(std::string(r.message()).find("not enough memory") != std::string::npos);
  CHECK(h.kernel->processes().size() == 1);  // init only
}

TEST_CASE("queued messages count against the receiver's quota") {
  test::Harness h;
  int receiver = h.spawn("require('system.ipc').receiveEvent(nil, 'never')", "user", 0, 512 * 1024);
  REQUIRE(h.run_until([&] { return h.proc(receiver)->state() == ProcState::Blocked; }));
  std::string big;
  MessageWriter(big).string(std::string(100 * 1024, 'x')).finish();
  int accepted = 0;
  while (h.kernel->send_event(0, receiver, "big", big).ok()) accepted++;
  CHECK(accepted > 0);
  CHECK(accepted < 6);
  CHECK(h.proc(receiver)->memory().used + h.proc(receiver)->memory().queued_bytes() <= 512 * 1024);
  CHECK(h.proc(receiver)->alive());
}

TEST_CASE("one quota over heap and queue: a full queue leaves the heap no room") {
  test::Harness h;
  const std::size_t limit = 512 * 1024;
  int receiver = h.spawn(R"(
    local ipc = require("system.ipc")
    ipc.receiveEvent(nil, "go")
    local ok, err = pcall(function()
      local t = {}
      for i = 1, 100000 do t[i] = string.rep("y", 1000) .. i end
    end)
    print("grow", ok, err)
    ipc.receiveEvent(nil, "never")
  )", "user", 0, limit);
  REQUIRE(h.run_until([&] { return h.proc(receiver)->state() == ProcState::Blocked; }));
  std::string big;
  MessageWriter(big).string(std::string(100 * 1024, 'x')).finish();
  int accepted = 0;
  while (h.kernel->send_event(0, receiver, "big", big).ok()) accepted++;
  REQUIRE(accepted > 0);
  std::size_t queued = h.proc(receiver)->memory().queued_bytes();
  CHECK(queued == h.proc(receiver)->mailbox().bytes());  // the mailbox is the one count
  std::string go;
  MessageWriter(go).finish();
  REQUIRE(h.kernel->send_event(0, receiver, "go", go).ok());
  REQUIRE(h.run_until([&] { return h.console.printed("grow"); }));
  CHECK(h.console.printed("grow\tfalse\tnot enough memory"));
  // The heap never grew into the bytes the queue holds.
  CHECK(h.proc(receiver)->memory().peak + queued <= limit);
  CHECK(h.proc(receiver)->memory().used + h.proc(receiver)->memory().queued_bytes() <= limit);
  // The quota's one count is exactly heap plus queue.
  CHECK(h.proc(receiver)->memory().charged() ==
        h.proc(receiver)->memory().used + h.proc(receiver)->memory().queued_bytes());
  CHECK(h.proc(receiver)->alive());
  // A message it cannot hold is refused, not queued past the quota.
  CHECK(h.kernel->send_event(0, receiver, "big", big).err == Err::QuotaExceeded);
}

TEST_CASE("heap and queue take their bytes in one step: two threads together never pass the quota") {
  // A process allocating on one worker while senders queue for it on
  // another: each charge that succeeds leaves the total within the limit.
  MemoryAccount m;
  m.limit = 100000;
  const bool several_workers = true;
  m.shared = &several_workers;
  std::atomic<bool> over{false};
  std::atomic<std::size_t> refused{0};
  auto worker = [&](unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::size_t> held;
    for (int i = 0; i < 200000; i++) {
      if (held.empty() || rng() % 2) {
        std::size_t n = 1 + rng() % 5000;
        if (m.charge(n)) {
          held.push_back(n);
          if (m.charged() > m.limit) over = true;
        } else {
          refused++;
        }
      } else {
        m.discharge(held.back());
        held.pop_back();
      }
    }
    for (std::size_t n : held) m.discharge(n);
  };
  std::thread a(worker, 1), b(worker, 2);
  a.join();
  b.join();
  CHECK_FALSE(over.load());
  CHECK(refused.load() > 0);  // the limit was reached, often
  CHECK(m.charged() == 0);    // every byte taken was given back
}

TEST_CASE("with several workers the quota's count stays heap plus queue exactly") {
  KernelConfig config;
  config.workers = 2;
  test::Harness h(config);
  const std::size_t limit = 600 * 1024;
  // The receiver builds and drops large strings, running out of room now
  // and then, while eight senders on the other worker fill its queue.
  // (Few of its errors come from inside a binding: ThreadSanitizer loses a
  // few frames of its shadow stack at each, as it cannot see liblua's
  // setjmp, and dies after some ten thousand.)
  int receiver = h.spawn(R"(
    local ipc = require("system.ipc")
    while true do
      pcall(ipc.receiveEvent, nil, "m")  -- taking a message needs room too
      pcall(function() local s = {} for i = 1, 8 do s[i] = string.rep("r", 20000) .. i end end)
    end
  )", "user", 0, limit);
  std::vector<int> senders;
  for (int i = 0; i < 8; i++)
    senders.push_back(h.spawn(R"(
      local ipc, to = require("system.ipc"), tonumber((...))
      for i = 1, 300 do
        if not ipc.sendEvent(to, "m", {s = string.rep("x", 200)}) then require("system.process").sleep(0) end
      end
    )", "user", 0, 0, std::to_string(receiver)));
  for (int s : senders) REQUIRE(h.run_until([&] { return h.exited(s); }, 60));
  const MemoryAccount& m = h.proc(receiver)->memory();
  REQUIRE_MESSAGE(h.proc(receiver)->alive(), h.proc(receiver)->error());
  CHECK(m.charged() == m.used + m.queued_bytes());
  CHECK(m.charged() <= limit);
  CHECK(m.peak <= limit);
}

TEST_CASE("on several workers a running process takes quota in chunks, yet can still use every byte of it") {
  // While its slice runs, a process allocates from a reserve it took in
  // chunks (no atomic step per allocation); near the limit a chunk shrinks
  // to what is asked, so an allocation is refused only when heap plus queue
  // plus it would pass the limit; the slice's end gives the reserve back.
  MemoryAccount m;
  m.limit = 100000;
  const bool several_workers = true;
  m.shared = &several_workers;
  m.begin_slice();
  std::vector<std::pair<void*, std::size_t>> blocks;
  std::size_t size = 0;
  for (int i = 0;; i++) {
    size = 8 + static_cast<std::size_t>(i * 37) % 300;
    void* b = MemoryAccount::allocate(&m, nullptr, 0, size);
    CHECK(m.charged() <= m.limit);
    if (!b) break;
    blocks.emplace_back(b, size);
  }
  CHECK(m.used + size > m.limit);     // refused only because it did not fit
  CHECK(m.charged() >= m.used);       // the reserve counts as taken
  for (std::size_t i = 0; i < blocks.size(); i += 2) MemoryAccount::allocate(&m, blocks[i].first, blocks[i].second, 0);
  CHECK(m.charged() - m.used <= 2 * MemoryAccount::kReserveChunk);  // freed bytes do not pile up in the reserve
  m.end_slice();
  CHECK(m.charged() == m.used);  // exactly the heap again
  for (std::size_t i = 1; i < blocks.size(); i += 2) MemoryAccount::allocate(&m, blocks[i].first, blocks[i].second, 0);
  CHECK(m.charged() == 0);
  CHECK(m.used == 0);
}
