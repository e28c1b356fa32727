// Fault soak: many processes that crash, loop, leak, exit, signal and
// message each other at random. Afterwards the host is alive, every state's
// memory is returned, every accepted message is accounted for (received, or
// dropped because its receiver ended), and closed files are intact.
//
// CI runs a scaled-down soak; set MOONBOX_SOAK_PROCESSES (default 300) and
// MOONBOX_SOAK_SECONDS (default 3) to run the full 1,000 for longer.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "tests/support/KernelHarness.h"

using namespace moonbox;

namespace {

int env_or(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

// Each process: a random walk over the things a program can do wrong.
const char* kSoakProgram = R"lua(
local ipc = require("system.ipc")
local process = require("system.process")
local first, last, seed = ...
math.randomseed(seed)
local me = process.getpid()
local sent = 0
ipc.sigaction(ipc.signal.SIGUSR1, function() end)
while true do
  local r = math.random(1, 1000)
  if r <= 400 then
    sent = sent + 1
    ipc.sendEvent(math.random(first, last), "m" .. me .. "-" .. sent, {n = sent, pad = string.rep("x", math.random(0, 64))})
  elseif r <= 700 then
    ipc.receiveEvent(nil, nil, math.random() < 0.5 and 0 or 0.01)
  elseif r <= 760 then
    local name = "/soak/" .. me .. "-" .. sent .. ".txt"
    local h = fs.open(name, "w")
    if h then h.write(name .. " intact") h.close() end
  elseif r <= 800 then
    local sigs = {ipc.signal.SIGUSR1, ipc.signal.SIGTERM, ipc.signal.SIGSTOP, ipc.signal.SIGCONT, ipc.signal.SIGKILL}
    pcall(ipc.kill, math.random(first, last), sigs[math.random(1, #sigs)])
  elseif r <= 810 then
    local t = os.clock() while os.clock() - t < 0.005 do end   -- a busy loop, preempted
  elseif r <= 812 then
    local s = "x" while true do s = s .. s end                 -- leak until the quota
  elseif r <= 815 then
    error("random crash")
  elseif r <= 818 then
    process.exit(math.random(0, 5))
  else
    process.sleep(0)
  end
end
)lua";

void soak(int workers, double default_seconds) {
  int n = env_or("MOONBOX_SOAK_PROCESSES", 300);
  double seconds = env_or("MOONBOX_SOAK_SECONDS", static_cast<int>(default_seconds));
  KernelConfig config;
  config.workers = workers;
  config.memory_limit = 2u << 20;
  config.processes_per_user = static_cast<std::size_t>(n) + 10;
  test::Harness h(config);

  // Account for every message through the trace, as it happens.
  using Key = std::tuple<int, int, std::string>;
  std::map<Key, int> queued, received, died;
  std::size_t dropped_other = 0;
  h.kernel->trace().set_listener([&](const TraceEntry& e) {
    Key key{e.from, e.to, std::string(e.name_view())};
    if (e.kind == TraceKind::EventQueued && e.from != 0) queued[key]++;
    else if (e.kind == TraceKind::EventReceived && e.from != 0) received[key]++;
    else if (e.kind == TraceKind::EventDropped && e.preview_view() == "receiver exited") died[key]++;
    else if (e.kind == TraceKind::EventDropped) dropped_other++;
  });

  std::size_t init_memory = h.proc(1)->memory().used;
  int first = 2, last = n + 1;
  for (int i = 0; i < n; i++) {
    SpawnRequest req;
    req.name = "soak";
    req.source = kSoakProgram;
    std::string args;
    MessageWriter(args).integer(first).integer(last).integer(1000 + i).finish();
    req.args = args;
    req.parent = 1;
    req.user = "user";
    REQUIRE(h.kernel->spawn(req).value == first + i);
  }
  h.run_for(seconds);

  // The end: whatever is left is killed; everything must be accounted for.
  for (int pid = first; pid <= last; pid++) h.kernel->kill(0, pid, kSigKILL);
  REQUIRE(h.run_until([&] { return h.kernel->live_count() == 1; }, 30));
  REQUIRE(h.run_until([&] { return h.kernel->processes().size() == 1; }, 30));  // init reaped all

  std::size_t total_queued = 0, total_received = 0, total_died = 0, unaccounted = 0;
  for (const auto& [key, count] : queued) {
    total_queued += static_cast<std::size_t>(count);
    int r = received.count(key) ? received[key] : 0;
    int d = died.count(key) ? died[key] : 0;
    total_received += static_cast<std::size_t>(r);
    total_died += static_cast<std::size_t>(d);
    if (r + d != count) unaccounted++;
  }
  MESSAGE("soak: " << n << " processes on " << workers << " workers for " << seconds << " s; " << total_queued << " messages accepted, "
                   << total_received << " received, " << total_died << " dropped with their receiver, "
                   << dropped_other << " refused at send");
  CHECK(total_queued > static_cast<std::size_t>(n));
  CHECK(unaccounted == 0);  // none lost, none received twice
  CHECK(h.proc(1)->alive());
  // Every state is closed: all memory but init's is back.
  CHECK(h.proc(1)->memory().used < init_memory + 512 * 1024);

  // Files are intact: what was written and closed, or nothing when the
  // writer was killed between open and write (a slow machine, a sanitizer),
  // never a part.
  int files = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(h.dir / "data" / "soak", ec)) {
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string expected = "/soak/" + entry.path().filename().string() + " intact";
    CHECK((ss.str() == expected || ss.str().empty()));
    files++;
  }
  CHECK(files > 0);
  h.kernel->trace().set_listener(nullptr);
}

}  // namespace

TEST_CASE("fault soak") { soak(1, 3); }

// The same on four workers: every message is still accounted for exactly
// once, and the kernel's objects stay consistent (ThreadSanitizer runs it).
TEST_CASE("fault soak on four workers") { soak(4, 2); }
