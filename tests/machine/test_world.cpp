// Several computers and their devices: the World, the modem Network, a
// computer's peripherals and their configuration, device terminals and
// floppy mounts.
#include <doctest/doctest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include <poll.h>

#include "tests/support/KernelHarness.h"
#include "vm/machine/World.h"
#include "vm/machine/WorldRunner.h"
#include "vm/machine/devices/Modem.h"
#include "vm/machine/devices/Monitor.h"
#include "vm/lua/Environment.h"

using namespace moonbox;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Peripheral> make(Computer& c, std::string_view type, std::string_view arg = "") {
  std::string why;
  auto p = make_peripheral(c, type, arg, &why);
  REQUIRE_MESSAGE(p, why);
  return p;
}

fs::path temp_dir() {
  std::random_device rd;
  fs::path dir = fs::temp_directory_path() / ("moonbox-world-" + std::to_string(rd()));
  fs::create_directories(dir);
  return dir;
}

// A world in dir: computer 0's files in dir/zero, the others' under
// dir/world, the source tree's rom.
WorldConfig world_config(const fs::path& dir) {
  WorldConfig config;
  config.base_dir = dir / "world";
  config.computer.data_dir = (dir / "zero").string();
  config.computer.rom_dir = MOONBOX_SOURCE_ROM;
  use_lua_programs(config.computer.kernel);
  return config;
}

// Such a world on 2 workers whose computers' long C calls end after 1.5 s:
// a process stuck in C for the tests of what goes on meanwhile.
WorldConfig stuck_world_config(const fs::path& dir) {
  WorldConfig config = world_config(dir);
  config.computer.kernel.workers = 2;
  config.computer.kernel.yield_limit = 1.5;
  return config;
}

// Gives computer 0 a console that keeps what it prints (the World owns it;
// the test reads it through the pointer), and the others none.
test::CapturingConsole* capture_console_of_zero(WorldConfig& config) {
  auto console = std::make_shared<std::unique_ptr<test::CapturingConsole>>(std::make_unique<test::CapturingConsole>());
  test::CapturingConsole* seen = console->get();
  config.console_for = [console](int id) -> std::unique_ptr<Console> {
    if (id == 0 && *console) return std::move(*console);
    return std::make_unique<NullConsole>();
  };
  return seen;
}

// Runs every computer of w until cond() holds (a guard of wall time, not a
// timing assertion).
bool run_until(World& w, const std::function<bool()>& cond, double guard = 10) {
  auto start = std::chrono::steady_clock::now();
  while (!cond()) {
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > guard) return false;
    w.run_for(0.01);
  }
  return true;
}

}  // namespace

TEST_CASE("a computer's peripherals are saved in its configuration and come back at the next boot") {
  test::Harness h;
  REQUIRE(h.computer->attach("left", make(*h.computer, "monitor")));
  REQUIRE(h.computer->attach("bottom", make(*h.computer, "modem", "wired"), "wired"));
  CHECK_FALSE(h.computer->attach("left", make(*h.computer, "printer")));  // taken
  CHECK(h.computer->peripheral_names() == std::vector<std::string>{"bottom", "left"});
  h.reboot();
  REQUIRE(h.computer->peripheral("left"));
  CHECK(h.computer->peripheral("left")->type() == "monitor");
  auto* modem = dynamic_cast<Modem*>(h.computer->peripheral("bottom"));
  REQUIRE(modem);
  CHECK_FALSE(modem->wireless());
  REQUIRE(h.computer->detach("left"));
  h.reboot();
  CHECK(h.computer->peripheral("left") == nullptr);
  CHECK(h.computer->peripheral("bottom") != nullptr);
}

TEST_CASE("the configuration is written once a turn, not at every attach, and keeps names as bytes") {
  test::Harness h;
  fs::path file = h.computer->state_dir() / "config.json";
  fs::remove(file);
  for (int i = 0; i < 2000; i++)
    REQUIRE(h.computer->attach("monitor_" + std::to_string(i), make(*h.computer, "monitor")));
  // 2,000 attaches in one turn: nothing written yet (each attach used to
  // rewrite the whole file: 27.7 s for 2,000 monitors)
  CHECK_FALSE(fs::exists(file));
  std::string bytes = "\xff\xfe\xc0\xaf";  // not UTF-8: nlohmann's dump threw, and the host aborted
  REQUIRE(h.computer->attach(bytes, make(*h.computer, "printer")));
  h.computer->tick();  // the end of the computer's turn
  REQUIRE(fs::exists(file));
  std::string text;
  REQUIRE(read_host_file(file.string(), text));
  CHECK(text.find("\"name_hex\": \"fffec0af\"") != std::string::npos);
  CHECK_FALSE(fs::exists(h.computer->state_dir() / "config.json.new"));
  h.reboot();
  CHECK(h.computer->peripheral_count() == 2001);
  REQUIRE(h.computer->peripheral(bytes));
  CHECK(h.computer->peripheral(bytes)->type() == "printer");
}

TEST_CASE("a broken configuration file is ignored") {
  test::Harness h;
  fs::create_directories(h.computer->state_dir());
  std::ofstream(h.computer->state_dir() / "config.json") << "{\"peripherals\": [{\"name\": 3}, 7, {\"type\": \"toaster\"";
  h.reboot();
  CHECK(h.computer->peripheral_names().empty());
  std::ofstream(h.computer->state_dir() / "config.json")
      << R"({"peripherals": [{"name": "top", "type": "toaster"}, {"name": "left", "type": "speaker"}]})";
  h.reboot();
  CHECK(h.computer->peripheral_names() == std::vector<std::string>{"left"});
}

TEST_CASE("computer events go to every process but one waiting for its child") {
  test::Harness h;
  int listener = h.spawn(R"lua(
    local e, side = os.pullEvent("peripheral")
    print("heard", e, side)
  )lua");
  int parent = h.spawn(R"lua(
    local process = require("system.process")
    local child = process.startString("require('system.process').sleep(30)")
    process.wait(child)
  )lua");
  h.run_for(0.2);
  REQUIRE(h.computer->attach("right", make(*h.computer, "speaker")));
  REQUIRE(h.run_until([&] { return h.exited(listener); }));
  CHECK(h.console.printed("heard\tperipheral\tright"));
  CHECK(h.proc(parent)->mailbox().size() == 0);
}

TEST_CASE("a monitor's screen is a device terminal; resizing keeps what fits") {
  test::Harness h;
  REQUIRE(h.computer->attach("top", make(*h.computer, "monitor")));
  auto* m = dynamic_cast<Monitor*>(h.computer->peripheral("top"));
  REQUIRE(m);
  Terminal* t = m->terminal();
  REQUIRE(t);
  CHECK(t->width() == 51);
  t->set_cursor(1, 1);
  t->write("abc");
  m->set_half_scale(4);  // scale 2
  CHECK(t->width() == 26);
  CHECK(t->height() == 10);
  CHECK(t->at(0, 0).ch == 'a');
  CHECK(t->at(2, 0).ch == 'c');
  int id = m->terminal_id();
  REQUIRE(h.computer->detach("top"));
  CHECK(!h.kernel->is_device_terminal(id));
}

TEST_CASE("modems: a world's computers hear each other; a lone computer's modems only each other") {
  fs::path dir = temp_dir();
  WorldConfig config = world_config(dir);
  config.console_for = [](int) { return std::make_unique<NullConsole>(); };
  {
    World world(config);
    Computer* zero = world.turn_on(0, BootRequest{"headless", {}, {}});
    Computer* one = world.turn_on(1);
    REQUIRE(zero);
    REQUIRE(one);
    // As in CC, a computer's folder is made when it first writes there;
    // the host computer's (--data-dir) is there from the start.
    CHECK(fs::is_directory(dir / "zero"));
    CHECK_FALSE(fs::exists(dir / "world" / "computer" / "1"));
    one->set_label("one");
    CHECK(fs::exists(dir / "world" / "computer" / "1"));
    REQUIRE(zero->attach("left", make(*zero, "modem")));
    REQUIRE(one->attach("right", make(*one, "modem")));
    auto* sender = dynamic_cast<Modem*>(zero->peripheral("left"));
    auto* receiver = dynamic_cast<Modem*>(one->peripheral("right"));
    REQUIRE(sender);
    REQUIRE(receiver);
    ModemPacket packet;
    packet.channel = 4;
    MessageWriter(packet.message).string("hello").finish();
    sender->transmit(packet);  // channel 4 is not open on computer 1
    CHECK(one->kernel().trace().total() > 0);
    std::uint64_t before = one->kernel().trace().total();
    receiver->transmit(packet);  // back the other way: nothing open either
    CHECK(one->kernel().trace().total() == before + 1);  // only its own modem_sent
    // a computer peripheral of 0 names 1; shutting 1 down from there waits for a slice
    REQUIRE(zero->attach("computer_1", make(*zero, "computer", "1"), "1"));
    world.request_shutdown(1);
    CHECK(world.is_on(1));
    REQUIRE(run_until(world, [&] { return !world.is_on(1); }));
    CHECK(world.turn_on(1) != nullptr);
  }
  test::Harness lone;
  REQUIRE(lone.computer->attach("a", make(*lone.computer, "modem")));
  CHECK(lone.computer->world() == nullptr);
  std::string why;
  CHECK(make_peripheral(*lone.computer, "computer", "2", &why) == nullptr);
  CHECK(why.find("alone") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a floppy is a mount: paths stay inside it, and it leaves with its drive") {
  test::Harness h;
  fs::path floppy = h.dir / "floppy";
  fs::create_directories(floppy);
  fs::create_symlink("/etc", floppy / "escape");
  Vfs& vfs = h.computer->vfs();
  std::string name = vfs.mount_disk(floppy, "left", std::make_shared<DiskSpace>(1000));
  CHECK(name == "disk");
  CHECK(vfs.mount_disk(floppy, "right", std::make_shared<DiskSpace>(1000)) == "disk2");
  auto inside = vfs.host_path("/disk/a/../b.txt");
  REQUIRE(inside);
  CHECK(inside->parent_path() == fs::weakly_canonical(floppy));
  CHECK_FALSE(vfs.host_path("/disk/escape/passwd"));  // a symlink out of the floppy
  CHECK(vfs.mount_of("/disk2/x")->drive == "right");
  vfs.unmount("disk");
  CHECK(vfs.mount_of("/disk/x") == nullptr);
  CHECK(vfs.mount_disk(floppy, "top", std::make_shared<DiskSpace>(1000)) == "disk");
}

TEST_CASE("the world runs on its own thread, and the host is never held by a process stuck in C") {
  fs::path dir = temp_dir();
  std::ofstream(dir / "stuck.lua") << R"lua(
    print("before")
    print(pcall(string.find, string.rep("a", 3000), ".-.-.-.-b"))
  )lua";
  WorldConfig config = world_config(dir);
  config.computer.kernel.yield_limit = 0.5;  // the C call ends after 0.5 s
  test::CapturingConsole* seen = capture_console_of_zero(config);
  {
    World world(config);
    REQUIRE(world.turn_on(0, BootRequest{"headless", (dir / "stuck.lua").string(), {}}));
    WorldRunner runner(world);
    int refused = 0, done = 0;
    auto start = std::chrono::steady_clock::now();
    while (!done && std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
      if (!runner.with_world([&](World& w) { done = w.computer(0)->program_done(); }, 0.002)) refused++;
    }
    CHECK(done);
    CHECK(refused > 0);  // the host asked while the call ran, and was not held
    CHECK(runner.stop(5));
    CHECK(seen->printed("false\ttoo long without yielding"));  // (the World owns the console)
  }
  fs::remove_all(dir);
}

TEST_CASE("while a process of one computer is stuck in C, the other computers run on (several workers)") {
  fs::path dir = temp_dir();
  // Computer 0: a listener for computer 1's modem messages, then a C call.
  std::ofstream(dir / "stuck.lua") << R"lua(
    peripheral.wrap("left").open(5)
    require("system.process").startString([[
      while true do os.pullEvent("modem_message") end
    ]])
    os.sleep(0.05)
    print(pcall(string.find, string.rep("a", 3000), ".-.-.-.-b"))
  )lua";
  std::ofstream(dir / "counter.lua") << R"lua(
    local modem, x = peripheral.wrap("right"), 0
    while true do
      x = x + 1
      if x % 5000 == 0 then modem.transmit(5, 5, {x = x}) end
    end
  )lua";
  WorldConfig config = stuck_world_config(dir);
  config.console_for = [](int) { return std::make_unique<NullConsole>(); };
  {
    World world(config);
    Computer* one = world.turn_on(1, BootRequest{"headless", (dir / "counter.lua").string(), {}});
    REQUIRE(one);
    REQUIRE(one->attach("right", make(*one, "modem")));
    auto counter_cpu = [&] {
      double most = 0;
      for (const auto& [pid, p] : world.computer(1)->kernel().processes()) most = std::max(most, p->cpu_time());
      return most;
    };
    // Computer 0's reports come while its process is in C: computer 1's
    // counter must have run between the first and the last.
    std::vector<double> seen;  // computer 1's CPU time at each report of computer 0
    world.set_busy_listener([&](const Kernel::BusyReport& r) {
      if (r.computer == 0) seen.push_back(counter_cpu());
    });
    Computer* zero = world.turn_on(0, BootRequest{"headless", (dir / "stuck.lua").string(), {}});
    REQUIRE(zero);
    REQUIRE(zero->attach("left", make(*zero, "modem")));
    REQUIRE(run_until(world, [&] { return world.computer(0)->program_done(); }, 30));
    world.set_busy_listener(nullptr);
    REQUIRE(seen.size() >= 3);
    CHECK(seen.back() - seen.front() > 0.2);  // of about 1.4 s in C
    std::size_t heard = 0;  // computer 0's listener went on too, hearing computer 1
    for (std::size_t i = 0; i < zero->kernel().trace().size(); i++)
      if (zero->kernel().trace().at(i).kind == TraceKind::ModemReceived) heard++;
    CHECK(heard > 10);
  }
  fs::remove_all(dir);
}

TEST_CASE("input the host queues while a computer waits for a process stuck in C reaches the computers in order") {
  fs::path dir = temp_dir();
  // Computer 0: a C call, then the char typed meanwhile.
  std::ofstream(dir / "stuck.lua") << R"lua(
    os.sleep(0.05)
    pcall(string.find, string.rep("a", 3000), ".-.-.-.-b")
    local _, c = os.pullEvent("char")
    print("got " .. c)
  )lua";
  // Computer 1: what it is typed, as its label.
  std::ofstream(dir / "typed.lua") << R"lua(
    local typed = ""
    while true do
      local _, c = os.pullEvent("char")
      typed = typed .. c
      os.setComputerLabel(typed)
    end
  )lua";
  auto typed = [](World& w) { return w.computer(1)->label().value_or(""); };
  auto chr = [](int computer, const char* c) {
    std::string payload;
    MessageWriter(payload).string(c).finish();
    return World::HostInput{computer, 0, "char", payload};
  };
  WorldConfig config = stuck_world_config(dir);
  test::CapturingConsole* seen = capture_console_of_zero(config);
  {
    World world(config);
    REQUIRE(world.turn_on(1, BootRequest{"headless", (dir / "typed.lua").string(), {}}));
    REQUIRE(run_until(world, [&] { return world.computer(1)->kernel().live_count() >= 2; }, 10));
    std::vector<std::string> while_stuck;  // computer 1's label at each report of computer 0
    world.set_busy_listener([&](const Kernel::BusyReport& r) {
      if (r.computer != 0) return;
      if (while_stuck.empty()) {
        // Typed while computer 0 is in C. The signal for computer 0 (its
        // process is stuck: kill could wait) holds back what follows it.
        world.queue_input(chr(1, "a"));
        world.queue_input(chr(0, "y"));
        world.queue_input(chr(1, "b"));
        world.queue_input({0, kSigCONT, {}, {}});
        world.queue_input(chr(1, "c"));
      }
      while_stuck.push_back(typed(world));
    });
    REQUIRE(world.turn_on(0, BootRequest{"headless", (dir / "stuck.lua").string(), {}}));
    REQUIRE(run_until(world, [&] { return world.computer(0)->program_done(); }, 30));
    world.set_busy_listener(nullptr);
    REQUIRE(while_stuck.size() >= 3);
    CHECK(while_stuck.back() == "ab");  // delivered in the other computers' turn, not after the call
    CHECK(seen->printed("got y"));      // computer 0's char waited in its queue for the call's end
    REQUIRE(run_until(world, [&] { return typed(world) == "abc"; }, 10));
  }
  fs::remove_all(dir);
}

TEST_CASE("the host's input queue holds at most kMaxQueuedInput events") {
  fs::path dir = temp_dir();
  WorldConfig config = world_config(dir);
  {
    World world(config);
    // Nothing past the limit is kept; delivery empties the queue (input for
    // a computer that is off goes with it).
    for (std::size_t i = 0; i < World::kMaxQueuedInput + 100; i++) world.queue_input({5, 0, "char", ""});
    CHECK(world.queued_input() == World::kMaxQueuedInput);
    world.deliver_input();
    CHECK(world.queued_input() == 0);
  }
  fs::remove_all(dir);
}

namespace {
// This process's threads now (Linux's /proc).
int thread_count() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return -1;
}
}  // namespace

TEST_CASE("a world's computers share one pool of workers: forty computers, not four threads each") {
  fs::path dir = temp_dir();
  WorldConfig config = world_config(dir);
  config.computer.kernel.workers = 2;
  int before = thread_count();
  {
    World world(config);
    for (int id = 0; id < 40; id++) REQUIRE(world.turn_on(id));
    REQUIRE(run_until(world, [&] { return !world.has_ready(); }, 60));
    // 2 pool threads and their 2 watchdogs, and the watchdog of a kernel
    // whose host thread ran a slice; each computer had 4 of its own.
    int grown = thread_count() - before;
    CHECK(grown <= 8);
    CHECK(world.computer(39)->kernel().scheduler().workers() == 2);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("the wake-up descriptor is readable after wake(), from any thread, until cleared") {
  fs::path dir = temp_dir();
  {
    World world(world_config(dir));
    int fd = world.wake_fd();
    REQUIRE(fd >= 0);
    CHECK(world.wake_fd() == fd);  // one descriptor
    auto readable = [fd] {
      pollfd p{fd, POLLIN, 0};
      return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
    };
    CHECK_FALSE(readable());
    std::thread([&] { world.wake(); }).join();
    CHECK(readable());
    world.wake();  // twice before a clear: still one wake-up to see
    world.clear_wake_fd();
    CHECK_FALSE(readable());
    // the world's own sleep is woken as before
    world.wake();
    auto start = std::chrono::steady_clock::now();
    world.sleep(30);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));  // a guard, not a timing
  }
  fs::remove_all(dir);
}

TEST_CASE("a host waiting for the world's activity hears of a timer's process, once a wait") {
  fs::path dir = temp_dir();
  std::ofstream(dir / "late.lua") << R"lua(
    print("waiting")
    os.sleep(1)  -- long enough for the host to see "waiting" first, also under TSan
    print("late")
    os.sleep(100)
  )lua";
  WorldConfig config = world_config(dir);
  test::CapturingConsole* seen = capture_console_of_zero(config);
  {
    World world(config);
    REQUIRE(world.turn_on(0, BootRequest{"headless", (dir / "late.lua").string(), {}}));
    WorldRunner runner(world);
    std::mutex m;
    std::condition_variable cv;
    int heard = 0;
    runner.set_activity_listener([&] {
      std::lock_guard lock(m);
      heard++;
      cv.notify_all();
    });
    auto printed = [&](const char* text) {
      bool seen_it = false;
      runner.with_world([&](World&) { seen_it = seen->printed(text); }, 5);
      return seen_it;
    };
    auto start = std::chrono::steady_clock::now();
    auto within_guard = [&] { return std::chrono::steady_clock::now() - start < std::chrono::seconds(20); };
    while (!printed("waiting") && within_guard()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // Asleep in os.sleep: the host waits for the world to run something.
    runner.await_activity(true);
    {
      std::unique_lock lock(m);
      CHECK(cv.wait_for(lock, std::chrono::seconds(10), [&] { return heard > 0; }));  // a guard, not a timing
    }
    while (!printed("late") && within_guard()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(printed("late"));
    // One call a wait: "late" ran after it, unawaited, and called nothing.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    {
      std::lock_guard lock(m);
      CHECK(heard == 1);
    }
    CHECK(runner.stop(5));
  }
  fs::remove_all(dir);
}

TEST_CASE("a world's round gives its budget to the computers with work, not to all of them") {
  fs::path dir = temp_dir();
  std::ofstream(dir / "busy.lua") << "local x = 0 while true do x = x + 1 end";
  WorldConfig config = world_config(dir);
  config.console_for = [](int) { return std::make_unique<NullConsole>(); };
  {
    World world(config);
    Computer* busy = world.turn_on(0, BootRequest{"headless", (dir / "busy.lua").string(), {}});
    REQUIRE(busy);
    for (int id = 1; id <= 50; id++) REQUIRE(world.turn_on(id, BootRequest{"headless", {}, {}}));
    // The 50 others boot and then wait for events: idle.
    REQUIRE(run_until(world, [&] {
      for (int id = 1; id <= 50; id++)
        if (world.computer(id)->kernel().has_ready()) return false;
      return true;
    }));
    // One round of 0.2 s: the busy computer alone has work, so it has the
    // whole of it, about 200 slices of 1 ms (a share of 1/51 was 3 or 4).
    // The bound leaves room for a loaded machine; it is no timing figure.
    std::uint64_t before = busy->kernel().scheduler().slices_begun();
    world.run_for(0.2);
    CHECK(busy->kernel().scheduler().slices_begun() - before >= 20);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}
