// The Computer: its id and label are the computer's, shared by every process
// and kept across boots in a state directory programs cannot reach.
#include <doctest/doctest.h>

#include "tests/support/KernelHarness.h"

using namespace moonbox;

namespace {
// Runs source to its end; true when it ended with status 0.
bool run_program(test::Harness& h, const std::string& source) {
  int pid = h.spawn(source);
  return h.run_until([&] { return h.exited(pid); }) && h.proc(pid)->exit_status() == 0;
}
}  // namespace

TEST_CASE("the label belongs to the computer: a child sees it, and it survives a reboot") {
  test::Harness h;
  REQUIRE(run_program(h, R"lua(
    os.setComputerLabel("box")
    local process = require("system.process")
    local child = process.startString("print('child sees', os.getComputerLabel(), os.getComputerID())")
    process.wait(child)
  )lua"));
  CHECK(h.console.printed("child sees\tbox\t0"));
  CHECK(h.computer->label() == std::optional<std::string>("box"));

  h.reboot();
  REQUIRE(run_program(h, "print('after reboot', os.getComputerLabel())"));
  CHECK(h.console.printed("after reboot\tbox"));

  REQUIRE(run_program(h, "os.setComputerLabel(nil) print('cleared', os.getComputerLabel())"));
  CHECK(h.console.printed("cleared\tnil"));
  h.reboot();
  REQUIRE(run_program(h, "print('after second reboot', os.getComputerLabel())"));
  CHECK(h.console.printed("after second reboot\tnil"));
}

TEST_CASE("labels follow CC's rules, and bad arguments are Lua errors") {
  test::Harness h;
  REQUIRE(run_program(h, R"lua(
    os.setComputerLabel("a\tb\nc" .. string.rep("x", 40))
    print("label", #os.getComputerLabel(), os.getComputerLabel():sub(1, 3))
    print(pcall(os.setComputerLabel, {}))
  )lua"));
  CHECK(h.console.printed("label\t32\tabc"));
  CHECK(h.console.printed("false\tbad argument #1 (string expected, got table)"));
}

TEST_CASE("the computer's id comes from its configuration") {
  ComputerConfig config;
  config.id = 7;
  test::Harness h(config, true);
  REQUIRE(run_program(h, "print('id', os.getComputerID(), os.computerID())"));
  CHECK(h.console.printed("id\t7\t7"));
}

TEST_CASE("programs can neither see nor reach the computer's state directory") {
  test::Harness h;
  REQUIRE(run_program(h, R"lua(
    os.setComputerLabel("secret")
    for _, name in ipairs(fs.list("/")) do print("entry", name) end
    print("exists", fs.exists("/.moonbox"), fs.exists("/.moonbox/label"), fs.exists("/x/../.moonbox/label"))
    print("open", fs.open("/.moonbox/label", "r"))
    print("write", fs.open("/.moonbox/label", "w"))
  )lua"));
  CHECK_FALSE(h.console.printed("entry\t.moonbox"));
  CHECK(h.console.printed("entry\trom"));
  CHECK(h.console.printed("exists\tfalse\tfalse\tfalse"));
  CHECK(h.console.printed("open\tnil"));
  CHECK(h.console.printed("write\tnil"));
  CHECK(h.computer->label() == std::optional<std::string>("secret"));
}

TEST_CASE("the host toggles a redstone input: every process gets a redstone event") {
  test::Harness h;
  int a = h.spawn(R"lua(
    os.pullEvent("redstone")
    print("a sees", redstone.getAnalogueInput("left"), redstone.getInput("left"))
  )lua");
  int b = h.spawn(R"lua(
    os.pullEvent("redstone")
    print("b sees", redstone.getInput("LEFT"))
  )lua");
  REQUIRE(h.run_until([&] { return h.proc(a)->state() == ProcState::Blocked && h.proc(b)->state() == ProcState::Blocked; }));
  h.computer->set_redstone_input(5, 7);  // left
  REQUIRE(h.run_until([&] { return h.exited(a) && h.exited(b); }));
  CHECK(h.console.printed("a sees\t7\ttrue"));
  CHECK(h.console.printed("b sees\ttrue"));
  CHECK(h.computer->redstone().input(5) == 7);
}
