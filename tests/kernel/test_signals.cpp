// Signal delivery and default actions, through the kernel's host API and
// through processes.
#include <doctest/doctest.h>

#include "tests/support/KernelHarness.h"

using namespace moonbox;

namespace {
const char* kBlocker = R"(
  local ipc = require("system.ipc")
  while true do ipc.receiveEvent(nil, "never") end
)";
}

TEST_CASE("terminating defaults give 128+n") {
  for (int sig : {kSigHUP, kSigINT, kSigQUIT, kSigABRT, kSigKILL, kSigUSR1, kSigUSR2, kSigPIPE, kSigTERM}) {
    test::Harness h;
    int pid = h.spawn(kBlocker);
    h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; });
    CHECK(h.kernel->kill(0, pid, sig).err == Err::None);
    CAPTURE(sig);
    CHECK(h.exited(pid));
    CHECK(h.proc(pid)->exit_status() == 128 + sig);
    CHECK(h.proc(pid)->exit_signal() == sig);
  }
}

TEST_CASE("QUIT and ABRT write a traceback to stderr") {
  test::Harness h;
  int pid = h.spawn(kBlocker);
  h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; });
  h.kernel->kill(0, pid, kSigQUIT);
  CHECK(h.console.errors.find("SIGQUIT") != std::string::npos);
  CHECK(h.console.errors.find("receiveEvent") != std::string::npos);
  CHECK(h.proc(pid)->traceback().find("stack traceback") != std::string::npos);
}

TEST_CASE("stop, continue, and TRAP's breakpoint") {
  test::Harness h;
  int pid = h.spawn(kBlocker);
  h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; });
  for (int sig : {kSigSTOP, kSigTTIN, kSigTTOU, kSigTRAP}) {
    CAPTURE(sig);
    h.kernel->kill(0, pid, sig);
    CHECK(h.proc(pid)->state() == ProcState::Stopped);
    CHECK(h.proc(pid)->at_breakpoint() == (sig == kSigTRAP));
    h.kernel->kill(0, pid, kSigCONT);
    CHECK(h.proc(pid)->state() == ProcState::Blocked);
    CHECK_FALSE(h.proc(pid)->at_breakpoint());
  }
}

TEST_CASE("a stopped process does not run until continued") {
  test::Harness h;
  int pid = h.spawn("local n = 0 while true do n = n + 1 end");
  h.run_for(0.02);
  h.kernel->kill(0, pid, kSigSTOP);
  double cpu = h.proc(pid)->cpu_time();
  h.run_for(0.05);
  CHECK(h.proc(pid)->cpu_time() == cpu);
  h.kernel->kill(0, pid, kSigCONT);
  CHECK(h.proc(pid)->state() == ProcState::Ready);
  h.run_for(0.02);
  CHECK(h.proc(pid)->cpu_time() > cpu);
}

TEST_CASE("PID 1 cannot be signalled, by anyone") {
  test::Harness h(false);
  int init = h.spawn(kBlocker, "root");
  REQUIRE(init == 1);
  int root_child = h.spawn(R"(
    local ipc = require("system.ipc")
    local ok, err = pcall(ipc.kill, 1, ipc.signal.SIGKILL)
    print(ok, err)
  )", "root", 1);
  CHECK(h.kernel->kill(0, 1, kSigKILL).err == Err::PermissionDenied);
  REQUIRE(h.run_until([&] { return h.exited(root_child); }));
  CHECK(h.console.printed("false"));
  CHECK(h.console.printed("Permission denied"));
  CHECK(h.proc(1)->alive());
}

TEST_CASE("only root or the same user may signal") {
  test::Harness h;
  int alice = h.spawn(kBlocker, "alice");
  int alice2 = h.spawn(kBlocker, "alice");
  int bob = h.spawn(kBlocker, "bob");
  int root = h.spawn(kBlocker, "root");
  CHECK(h.kernel->kill(bob, alice, kSigTERM).err == Err::PermissionDenied);
  CHECK(h.kernel->kill(alice, root, kSigTERM).err == Err::PermissionDenied);
  CHECK(h.proc(alice)->alive());
  CHECK(h.kernel->kill(alice2, alice, kSigSTOP).err == Err::None);  // same user
  CHECK(h.proc(alice)->state() == ProcState::Stopped);
  CHECK(h.kernel->kill(root, bob, kSigTERM).err == Err::None);       // root
  CHECK(h.exited(bob));
  CHECK(h.kernel->kill(0, alice, kSigKILL).err == Err::None);         // the host
  CHECK(h.kernel->kill(0, 4242, kSigKILL).err == Err::NoSuchProcess);
  CHECK(h.kernel->kill(0, alice2, 4).err == Err::InvalidSignal);
}

TEST_CASE("a handler interrupts a blocked receiveEvent, which then waits again") {
  test::Harness h;
  int pid = h.spawn(R"(
    local ipc = require("system.ipc")
    ipc.sigaction(ipc.signal.SIGINT, function(sig) print("handled " .. sig) end)
    local ev, p = ipc.receiveEvent(nil, "go")
    print("received " .. ev .. " " .. p.v)
  )");
  REQUIRE(h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; }));
  h.kernel->kill(0, pid, kSigINT);
  CHECK(h.proc(pid)->state() == ProcState::Ready);
  REQUIRE(h.run_until([&] { return h.console.printed("handled 2"); }));
  REQUIRE(h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; }));
  CHECK(h.proc(pid)->frame_count() == 1);  // the handler's frame is gone

  std::string payload;
  MessageWriter(payload).begin_table().key("v").integer(9).end_table().finish();
  CHECK(h.kernel->send_event(0, pid, "go", payload).ok());
  REQUIRE(h.run_until([&] { return h.exited(pid); }));
  CHECK(h.console.printed("received go 9"));
  CHECK(h.proc(pid)->exit_status() == 0);
}

TEST_CASE("signals arriving together run one handler after another") {
  test::Harness h;
  int pid = h.spawn(R"(
    local ipc = require("system.ipc")
    for _, s in ipairs({ipc.signal.SIGUSR1, ipc.signal.SIGUSR2, ipc.signal.SIGHUP}) do
      ipc.sigaction(s, function(sig) print("sig " .. sig) end)
    end
    ipc.receiveEvent(nil, "never")
  )");
  REQUIRE(h.run_until([&] { return h.proc(pid)->state() == ProcState::Blocked; }));
  h.kernel->kill(0, pid, kSigUSR2);
  h.kernel->kill(0, pid, kSigUSR1);
  h.kernel->kill(0, pid, kSigHUP);
  REQUIRE(h.run_until([&] { return h.console.lines.size() == 3; }));
  // Lowest number first, as POSIX delivers pending signals.
  CHECK(h.console.lines[0].ends_with("sig 1"));
  CHECK(h.console.lines[1].ends_with("sig 10"));
  CHECK(h.console.lines[2].ends_with("sig 12"));
  CHECK(h.proc(pid)->alive());
}
