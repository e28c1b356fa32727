// moonbox_bench: moonbox measured side by side with a single-state
// coroutine kernel (bench/baseline/kernel.lua) on the same Lua 5.4, in the
// same run. Each figure is the median of several runs, with min and max.
//
//   moonbox_bench [--smoke] [--json FILE] [--big]
//     --smoke  tiny sizes, one run each (CI checks that it builds and runs)
//     --big    also 100,000 live idle processes (needs several GiB)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <lua.hpp>

#include "emulator/TerminalRenderer.h"
#include "emulator/debugger/DebuggerModel.h"
#include "vm/machine/Computer.h"
#include "vm/machine/World.h"
#include "vm/lua/Environment.h"

using namespace moonbox;
using WallClock = std::chrono::steady_clock;

namespace {

struct Options {
  bool smoke = false;
  bool big = false;
  std::string json;
  std::string only;  // --only WORD: the rows whose key holds WORD (for quick comparisons by hand)
  int repeats = 5;
};

double seconds_since(WallClock::time_point t0) { return std::chrono::duration<double>(WallClock::now() - t0).count(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string workload(const std::string& name) { return read_file(std::string(MOONBOX_BENCH_DIR) + "/workloads/" + name); }

long rss_kib() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * 4;
}

class LineConsole final : public Console {
 public:
  void write_line(int, std::string_view line) override { lines.emplace_back(line); }
  void write_text(int, std::string_view) override {}
  void write_error(int, std::string_view text) override { std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data()); }
  std::vector<std::string> lines;
};

struct BenchComputer {
  std::filesystem::path dir;
  LineConsole console;
  std::unique_ptr<moonbox::Computer> computer;
  Kernel* kernel = nullptr;
  explicit BenchComputer(bool trace, int workers = 1) {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() / ("moonbox-bench-" + std::to_string(rd()));
    ComputerConfig config;
    config.data_dir = dir.string();
    config.rom_dir = MOONBOX_SOURCE_ROM;
    config.kernel.processes_per_user = 1u << 20;
    config.kernel.workers = workers;
    use_lua_programs(config.kernel);
    computer = std::make_unique<moonbox::Computer>(config, &console);
    kernel = &computer->kernel();
    kernel->trace().set_enabled(trace);
  }
  ~BenchComputer() {
    kernel = nullptr;
    computer.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  int spawn(const std::string& source, std::initializer_list<long> args, const std::string& name = "bench") {
    SpawnRequest req;
    req.name = name;
    req.source = source;
    MessageWriter w(req.args);
    for (long a : args) w.integer(a);
    w.finish();
    return kernel->spawn(req).value;
  }
  void run_until_exit(int pid) {
    while (kernel->find(pid)->alive()) kernel->run_for(0.05);
  }
};

// Seconds for one run of a workload in moonbox.
double run_moonbox(const std::string& source, std::initializer_list<long> args, bool trace, int workers = 1) {
  BenchComputer c(trace, workers);
  auto t0 = WallClock::now();
  int pid = c.spawn(source, args);
  c.run_until_exit(pid);
  double t = seconds_since(t0);
  if (c.kernel->find(pid)->exit_status() != 0) std::fprintf(stderr, "workload failed: %s\n", c.kernel->find(pid)->error().c_str());
  return t;
}

// Seconds for one run of a workload in the single-state baseline, whose
// messages travel as `mode` says: "copy", "naive" or "ref" (kernel.lua).
double run_baseline(const std::string& source, std::initializer_list<long> args, const char* mode = "copy") {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  bool minimal = std::strcmp(mode, "minimal") == 0;  // the floor: baseline/minimal.lua
  std::string kernel_path = std::string(MOONBOX_BENCH_DIR) + (minimal ? "/baseline/minimal.lua" : "/baseline/kernel.lua");
  if (luaL_dofile(L, kernel_path.c_str()) != LUA_OK) {
    std::fprintf(stderr, "baseline: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return 0;
  }
  if (!minimal) {
    lua_pushstring(L, mode);
    lua_setfield(L, -2, "mode");
  }
  lua_getfield(L, -1, "run");
  lua_pushlstring(L, source.data(), source.size());
  for (long a : args) lua_pushinteger(L, a);
  auto t0 = WallClock::now();
  if (lua_pcall(L, static_cast<int>(args.size()) + 1, 2, 0) != LUA_OK)
    std::fprintf(stderr, "baseline: %s\n", lua_tostring(L, -1));
  else if (!lua_isnil(L, -1) || lua_tointeger(L, -2) != 0)
    std::fprintf(stderr, "baseline workload failed: %s\n", lua_tostring(L, -1));
  double t = seconds_since(t0);
  lua_close(L);
  return t;
}

struct Stat {
  double median = 0, min = 0, max = 0;
};

Stat stat_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stat s;
  if (v.empty()) return s;
  s.min = v.front();
  s.max = v.back();
  s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  return s;
}

struct Row {
  std::string name, unit;
  Stat value;
  bool has_baseline = false;
  Stat baseline;        // the copying single-state kernel
  std::string note;
};

// A throughput row's other baselines.
struct Others {
  Stat by_reference;    // the single-state kernel passing tables by reference
  Stat naive;           // the first, slower copying baseline
};
std::map<std::string, Others> others;  // by row name

std::vector<Row> rows;

double ratio(const Stat& a, const Stat& b) { return b.median > 0 ? a.median / b.median : 0.0; }

// The median of a[i] / b[i], for runs made in pairs one right after the
// other. This machine has slow spells that last several runs and slow both
// sides of a pair alike: a ratio of the two medians moved with how many
// runs of each side a spell caught (ping-pong on 2 workers / 1 read 0.64x
// in one run and 0.97x in the next), the median of the pairs' ratios not.
double paired_ratio(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> r;
  for (std::size_t i = 0; i < a.size() && i < b.size(); i++)
    if (b[i] > 0) r.push_back(a[i] / b[i]);
  return stat_of(r).median;
}

// Rows whose goal is a ratio of two short runs take more pairs.
int paired_repeats(const Options& o) { return o.smoke ? 1 : std::max(o.repeats, 9); }

void print_row(const Row& r) {
  if (auto o = others.find(r.name); o != others.end()) {
    const Stat& by_reference = o->second.by_reference;
    const Stat& naive = o->second.naive;
    std::printf("%-44s %12.0f %-7s [%8.0f .. %8.0f]  vs copy %9.0f %5.2fx  vs by-ref %9.0f %5.2fx  vs naive %5.2fx %s\n",
                r.name.c_str(), r.value.median, r.unit.c_str(), r.value.min, r.value.max, r.baseline.median,
                ratio(r.value, r.baseline), by_reference.median, ratio(r.value, by_reference), ratio(r.value, naive),
                r.note.c_str());
  } else if (r.has_baseline) {
    std::printf("%-44s %12.0f %-10s [%9.0f .. %9.0f]  baseline %12.0f  ratio %5.2fx %s\n", r.name.c_str(),
                r.value.median, r.unit.c_str(), r.value.min, r.value.max, r.baseline.median,
                r.baseline.median > 0 ? r.value.median / r.baseline.median : 0.0, r.note.c_str());
  } else {
    std::printf("%-44s %12.2f %-10s [%9.2f .. %9.2f] %s\n", r.name.c_str(), r.value.median, r.unit.c_str(),
                r.value.min, r.value.max, r.note.c_str());
  }
  std::fflush(stdout);
}

void add(Row r) {
  print_row(r);
  rows.push_back(std::move(r));
}

// A throughput workload: moonbox (trace on and off) against the three
// single-state baselines (copying, by reference, the naive copy),
// interleaved run by run so that machine noise hits all of them alike.
void throughput(const Options& o, const char* title, const char* file, std::initializer_list<long> args, double units,
                const char* unit) {
  std::string src = workload(file);
  std::vector<double> on, off, base, ref, naive;
  for (int i = 0; i < o.repeats; i++) {
    base.push_back(units / run_baseline(src, args, "copy"));
    ref.push_back(units / run_baseline(src, args, "ref"));
    naive.push_back(units / run_baseline(src, args, "naive"));
    off.push_back(units / run_moonbox(src, args, false));
    on.push_back(units / run_moonbox(src, args, true));
  }
  Row r{std::string(title) + " (trace off)", unit, stat_of(off), true, stat_of(base), ""};
  Row t{std::string(title) + " (trace on)", unit, stat_of(on), true, stat_of(base), ""};
  others[r.name] = others[t.name] = Others{stat_of(ref), stat_of(naive)};
  add(r);
  double cost = 1.0 - t.value.median / r.value.median;
  char note[64];
  std::snprintf(note, sizeof note, "trace costs %.1f%%", cost * 100);
  t.note = note;
  add(t);
}

// A throughput workload on `workers` workers against the by-reference
// kernel (the fastest a single-state system can pass messages) and against
// moonbox on one worker, interleaved run by run. The goal: at least 0.95x
// of one worker (messages placed where they are exchanged lose nothing).
void throughput_on_workers(const Options& o, const char* title, const char* file, std::initializer_list<long> args,
                           double units, const char* unit, int workers = 2) {
  std::string src = workload(file);
  std::vector<double> many, one, ref;
  for (int i = 0; i < paired_repeats(o); i++) {
    ref.push_back(units / run_baseline(src, args, "ref"));
    one.push_back(units / run_moonbox(src, args, false, 1));
    many.push_back(units / run_moonbox(src, args, false, workers));
  }
  Row r{std::string(title) + " (" + std::to_string(workers) + " workers)", unit, stat_of(many), true, stat_of(ref), ""};
  char note[128];
  double vs_one = paired_ratio(many, one);
  std::snprintf(note, sizeof note, "baseline: by-ref; 1 worker %.0f, %d workers / 1 = %.2fx paired (goal >= 0.95x: %s)",
                stat_of(one).median, workers, vs_one, vs_one >= 0.95 ? "met" : "not met");
  r.note = note;
  add(r);
}

// A workload against the least a single-state kernel can do
// (baseline/minimal.lua: no filters, no services, one table and one resume
// a message), on one worker. The goal for ping-pong: at least 1.0x, that is
// isolation and a deep copy paid for by a cheaper switch.
void against_minimal(const Options& o, const char* title, const char* file, std::initializer_list<long> args,
                     double units, double goal) {
  std::string src = workload(file);
  std::vector<double> moon, floor;
  for (int i = 0; i < paired_repeats(o); i++) {
    floor.push_back(units / run_baseline(src, args, "minimal"));
    moon.push_back(units / run_moonbox(src, args, false, 1));
  }
  double r = paired_ratio(moon, floor);
  char note[128];
  if (goal > 0)
    std::snprintf(note, sizeof note, "baseline: the minimal kernel; %.2fx paired, goal >= %.1fx: %s", r, goal,
                  r >= goal ? "met" : "not met");
  else std::snprintf(note, sizeof note, "baseline: the minimal kernel; %.2fx paired", r);
  add(Row{std::string(title) + " vs the minimal kernel", "msgs/s", stat_of(moon), true, stat_of(floor), note});
}

// n processes running the CPU loop at once: how much faster 2 workers
// finish them than 1 (the goal is close to 2x on 2 cores).
void busy_on_workers(const Options& o, int n) {
  std::string src = workload("cpu.lua");
  long iterations = (o.smoke ? 400000 : 40000000) / n;
  auto run = [&](int workers) {
    BenchComputer c(false, workers);
    auto t0 = WallClock::now();
    std::vector<int> pids;
    for (int i = 0; i < n; i++) pids.push_back(c.spawn(src, {iterations}));
    for (int pid : pids) c.run_until_exit(pid);
    return static_cast<double>(iterations) * n / seconds_since(t0) / 1e6;
  };
  std::vector<double> one, two;
  for (int i = 0; i < o.repeats; i++) {
    one.push_back(run(1));
    two.push_back(run(2));
  }
  char title[64];
  std::snprintf(title, sizeof title, "%d busy processes, 2 workers (vs 1)", n);
  add(Row{title, "M iter/s", stat_of(two), true, stat_of(one), "baseline: the same on 1 worker"});
}

// Ping-pong on one worker beside a busy process, against ping-pong alone:
// each message's receiver would wait for the busy process's full slice if
// the kernel did not switch to it directly (Scheduler::run_chain).
void beside_busy(const Options& o) {
  std::string src = workload("pingpong.lua");
  long n = o.smoke ? 200 : 20000;
  auto run = [&](bool busy) {
    BenchComputer c(false, 1);
    if (busy) c.spawn("while true do end", {}, "busy");
    auto t0 = WallClock::now();
    int pid = c.spawn(src, {n});
    // Short batches: the busy process would otherwise fill the rest of a
    // long one after the ping-pong ends.
    while (c.kernel->find(pid)->alive()) c.kernel->run_for(0.0005);
    return 2.0 * static_cast<double>(n) / seconds_since(t0);
  };
  std::vector<double> alone, beside;
  for (int i = 0; i < o.repeats; i++) {
    alone.push_back(run(false));
    beside.push_back(run(true));
  }
  add(Row{"ping-pong beside a busy process (1 worker)", "msgs/s", stat_of(beside), true, stat_of(alone),
          "baseline: ping-pong alone"});
}

// Seconds for one run of a chunk in a bare state: luaL_openlibs, no hook,
// no kernel; the speed plain lua5.4 runs Lua at.
double run_bare(const std::string& source, long n) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  double t = 0;
  if (luaL_loadbuffer(L, source.data(), source.size(), "=bare") == LUA_OK) {
    lua_pushinteger(L, n);
    auto t0 = WallClock::now();
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) std::fprintf(stderr, "bare: %s\n", lua_tostring(L, -1));
    t = seconds_since(t0);
  }
  lua_close(L);
  return t;
}

// A CPU-bound loop in a moonbox process (preempted every slice) against the
// same loop in a bare state: the cost of preemption.
void cpu_loop(const Options& o) {
  std::string src = workload("cpu.lua");
  long n = o.smoke ? 200000 : 20000000;
  std::vector<double> box, bare;
  for (int i = 0; i < o.repeats; i++) {
    bare.push_back(n / run_bare(src, n) / 1e6);
    box.push_back(n / run_moonbox(src, {n}, false) / 1e6);
  }
  Row r{"CPU-bound Lua loop (vs a bare state)", "M iter/s", stat_of(box), true, stat_of(bare),
        "baseline: the same chunk in a bare lua_State"};
  std::printf("%-44s %12.1f %-10s [%9.1f .. %9.1f]  bare     %12.1f  ratio %5.2fx\n", r.name.c_str(), r.value.median,
              r.unit.c_str(), r.value.min, r.value.max, r.baseline.median,
              r.baseline.median > 0 ? r.value.median / r.baseline.median : 0.0);
  rows.push_back(std::move(r));
}

// The debugger's cost: the CPU loop with no breakpoint, and with one set in
// another file (the loop's process is then watched at calls and returns
// only), interleaved; the goal is within 10%.
void cpu_loop_with_breakpoint(const Options& o) {
  std::string src = workload("cpu.lua");
  long n = o.smoke ? 200000 : 20000000;
  auto run = [&](bool breakpoint) {
    BenchComputer c(false);
    if (breakpoint) c.kernel->debugger().add_breakpoint(Breakpoint{0, "/elsewhere.lua", 3, "", "", ""});
    auto t0 = WallClock::now();
    int pid = c.spawn(src, {n});
    c.run_until_exit(pid);
    return n / seconds_since(t0) / 1e6;
  };
  std::vector<double> without, with;
  for (int i = 0; i < o.repeats; i++) {
    without.push_back(run(false));
    with.push_back(run(true));
  }
  Row r{"CPU loop, a breakpoint in another file", "M iter/s", stat_of(with), true, stat_of(without), ""};
  double ratio_ = ratio(r.value, r.baseline);
  char note[80];
  std::snprintf(note, sizeof note, "baseline: no breakpoint; goal within 10%%: %s", ratio_ >= 0.9 ? "met" : "NOT met");
  r.note = note;
  add(r);
}

// Warm: n spawns in one computer. Cold: the first spawn of a new computer
// (its kernel, its bios chunks compiled, its allocator fresh), in µs.
void spawn_rate(const Options& o) {
  int n = o.smoke ? 200 : 5000;
  std::vector<double> rates, cold;
  for (int i = 0; i < o.repeats; i++) {
    BenchComputer c(false);
    auto c0 = WallClock::now();
    c.run_until_exit(c.spawn("return", {}));
    cold.push_back(seconds_since(c0) * 1e6);
    auto t0 = WallClock::now();
    std::vector<int> pids;
    for (int k = 0; k < n; k++) pids.push_back(c.spawn("return", {}));
    for (int pid : pids) c.run_until_exit(pid);
    rates.push_back(n / seconds_since(t0));
  }
  add({"spawn + exit (warm)", "procs/s", stat_of(rates), false, {}, "goal >= 40000"});
  add({"spawn + exit (cold: a new computer's first)", "us", stat_of(cold), false, {}, ""});
}

// Measures n live idle processes in a fresh process (this program run again
// with --idle-memory N), so that the RSS starts clean rather than from memory
// freed by earlier benchmarks. Prints: heap KiB per process, RSS KiB per
// process, total RSS GiB.
// What a process that has used the common APIs once runs before it waits.
const char* kUsedApis =
    "local s = tostring(os.clock()) .. tostring(fs.exists('/')) .. tostring(term.getSize()) "
    ".. string.format('%d', 1) .. table.concat({1, 2}) io.write('') ";

int idle_memory_child(int n, bool used_apis) {
  BenchComputer c(false);
  c.run_until_exit(c.spawn("return", {}));  // warm up: the kernel's own memory is not counted
  long before = rss_kib();
  std::vector<int> pids;
  std::string source = std::string(used_apis ? kUsedApis : "") + "require('system.ipc').receiveEvent(nil, 'never')";
  for (int k = 0; k < n; k++) pids.push_back(c.spawn(source, {}));
  while (c.kernel->has_ready()) c.kernel->run_for(0.1);
  std::size_t used = 0;
  for (int pid : pids) used += c.kernel->find(pid)->memory().used;
  long after = rss_kib();
  std::printf("%f %f %f\n", static_cast<double>(used) / n / 1024.0, static_cast<double>(after - before) / n,
              static_cast<double>(after) / 1024.0 / 1024.0);
  return 0;
}

std::string self_path;

// Runs this program again with `args` (a measurement that wants a process of
// its own, so that its RSS starts clean), `repeats` times; each run prints
// `count` numbers on a line. Returns them by position: figures[k] holds the
// k-th number of every run that printed them all.
std::vector<std::vector<double>> child_figures(const std::string& args, int count, int repeats) {
  std::vector<std::vector<double>> figures(static_cast<std::size_t>(count));
  for (int i = 0; i < repeats; i++) {
    FILE* f = popen((self_path + " " + args).c_str(), "r");
    if (!f) continue;
    std::vector<double> line(static_cast<std::size_t>(count));
    bool whole = true;
    for (double& v : line) whole = whole && std::fscanf(f, "%lf", &v) == 1;
    pclose(f);
    if (!whole) continue;
    for (int k = 0; k < count; k++) figures[static_cast<std::size_t>(k)].push_back(line[static_cast<std::size_t>(k)]);
  }
  return figures;
}

void idle_memory(const Options& o, int n, bool per_process_rows, bool used_apis = false) {
  std::vector<std::vector<double>> figures = child_figures(
      std::string(used_apis ? "--used-memory " : "--idle-memory ") + std::to_string(n), 3, n >= 10000 ? 1 : o.repeats);
  const std::vector<double>& heap = figures[0];
  const std::vector<double>& rss = figures[1];
  const std::vector<double>& total = figures[2];
  if (used_apis) {
    add({"process that used os/fs/term/io/string/table: heap", "KiB", stat_of(heap), false, {}, ""});
    add({"process that used os/fs/term/io/string/table: RSS", "KiB", stat_of(rss), false, {}, "goal <= 40 KiB"});
    return;
  }
  if (per_process_rows) {
    add({"idle process: Lua heap", "KiB", stat_of(heap), false, {}, "reference: bare state ~13.5 KB"});
    add({"idle process: RSS", "KiB", stat_of(rss), false, {}, "goal <= 20 KiB"});
  }
  add({std::to_string(n) + " live idle processes: total RSS", "GiB", stat_of(total), false, {},
       n >= 100000 ? "goal < 2 GiB" : ""});
}

// N computers of one world, each booted to its shell and left idle at the
// prompt: their cost in RSS (all included: the kernel, the terminal, init
// and the shell process, the threads), and how long turning them all on
// took until every one was idle. Run in a child process of its own.
int idle_computers_child(int n) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("moonbox-bench-world-" + std::to_string(rd()));
  WorldConfig config;
  config.base_dir = dir / "world";
  config.computer.data_dir = (dir / "zero").string();
  config.computer.rom_dir = MOONBOX_SOURCE_ROM;
  use_lua_programs(config.computer.kernel);
  // moonbox's default: a worker per core (the world's one pool of threads)
  config.computer.kernel.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  {
    World world(config);
    world.turn_on(0);
    while (world.has_ready()) world.run_for(0.05);
    long before = rss_kib();
    auto t0 = WallClock::now();
    for (int id = 1; id <= n; id++) world.turn_on(id);
    while (world.has_ready()) world.run_for(0.05);
    double seconds = seconds_since(t0);
    long after = rss_kib();
    // Then the whole world left idle for 3 s: the CPU it takes (no polling:
    // timers and wake-ups only), as a share of one core.
    auto cpu_now = [] {
      timespec t{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
      return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
    };
    double cpu0 = cpu_now();
    auto idle0 = WallClock::now();
    world.run_until([&] { return seconds_since(idle0) >= 3.0; });
    double idle_share = (cpu_now() - cpu0) / seconds_since(idle0) * 100.0;
    std::printf("%f %f %f %f\n", static_cast<double>(after - before) / n, seconds, static_cast<double>(after) / 1024.0,
                idle_share);
    std::fflush(stdout);
    world.end_all({kSigKILL}, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

void idle_computers(const Options& o, int n) {
  std::vector<std::vector<double>> figures =
      child_figures("--idle-computers " + std::to_string(n), 4, n >= 1000 ? 1 : o.repeats);
  const std::vector<double>& each = figures[0];
  const std::vector<double>& boot = figures[1];
  const std::vector<double>& total = figures[2];
  const std::vector<double>& cpu = figures[3];
  std::string count = std::to_string(n);
  add({count + " computers idle at their shells: RSS each", "KiB", stat_of(each), false, {}, "goal <= 256 KiB"});
  bool thousand = n == 1000, big = n >= 10000;
  add({count + " computers: turned on until all idle", "s", stat_of(boot), false, {}, thousand ? "goal < 2 s" : ""});
  add({count + " computers: total RSS", "MiB", stat_of(total), false, {},
       thousand ? "goal < 256 MiB" : big ? "goal < 2.5 GiB (2560 MiB)" : ""});
  add({count + " idle computers: CPU", "% of a core", stat_of(cpu), false, {}, thousand ? "goal < 2%" : ""});
}

// Wake-up latency of a blocked receiveEvent: p50 and p99 in microseconds.
void wakeup_latency(const Options& o) {
  int n = o.smoke ? 200 : 5000;
  BenchComputer c(false);
  std::string src = R"lua(
    local ipc = require("system.ipc")
    local process = require("system.process")
    local n = ...
    local child = process.startString([[
      local ipc = require("system.ipc")
      local n, parent = ...
      local samples = {}
      for i = 1, n do
        local _, p = ipc.receiveEvent(nil, "wake")
        samples[i] = os.clock() - p.t
        ipc.sendEvent(parent, "ack", {})
      end
      table.sort(samples)
      print(samples[math.floor(n * 0.5)], samples[math.floor(n * 0.99)])
    ]], "waiter", n, process.getpid())
    for i = 1, n do
      process.sleep(0)           -- let the waiter block first
      ipc.sendEvent(child, "wake", {t = os.clock()})
      ipc.receiveEvent(child, "ack")
    end
    process.wait(child)
  )lua";
  int pid = c.spawn(src, {n});
  c.run_until_exit(pid);
  double p50 = 0, p99 = 0;
  if (!c.console.lines.empty()) std::sscanf(c.console.lines.back().c_str(), "%lf\t%lf", &p50, &p99);
  add({"wake-up latency p50", "us", {p50 * 1e6, p50 * 1e6, p50 * 1e6}, false, {}, ""});
  add({"wake-up latency p99", "us", {p99 * 1e6, p99 * 1e6, p99 * 1e6}, false, {}, ""});
}

// The renderer's CPU work for a full redraw of the terminal.
void full_redraw(const Options& o) {
  Terminal t;
  TerminalRenderer r;
  std::vector<double> us;
  int n = o.smoke ? 20 : 2000;
  for (int i = 0; i < n; i++) {
    for (int y = 0; y < t.height(); y++) {
      t.set_cursor(1, y + 1);
      t.set_text_colour(i % 16);
      t.write(std::string(static_cast<std::size_t>(t.width()), static_cast<char>('a' + (i + y) % 26)));
    }
    auto t0 = WallClock::now();
    r.update_image(t);
    us.push_back(seconds_since(t0) * 1e6);
  }
  add({"full terminal redraw (CPU image)", "us", stat_of(us), false, {}, "goal < 1000 us"});
}

// What the debugger's view-models cost per frame with 100,000 trace entries
// and 1,000 processes: pulling the feed, filtering it, the rates, the
// sequence chart, a snapshot of the process table and its sorting.
void debugger_frame(const Options& o) {
  int procs = o.smoke ? 50 : 1000, entries = o.smoke ? 5000 : 100000;
  BenchComputer c(true);
  for (int k = 0; k < procs; k++) c.spawn("require('system.ipc').receiveEvent(nil, 'never')", {});
  while (c.kernel->has_ready()) c.kernel->run_for(0.1);
  Trace& trace = c.kernel->trace();
  for (int i = 0; i < entries; i++)
    trace.record(TraceKind::EventSent, i * 1e-4, 2 + i % procs, 2 + (i * 7) % procs, "time?", 56, "{seq=1}");
  debugger::TraceFeed feed;
  feed.pull(trace);
  std::vector<double> ms;
  for (int frame = 0; frame < (o.smoke ? 3 : 60); frame++) {
    for (int i = 0; i < 200; i++) trace.record(TraceKind::EventSent, entries * 1e-4, 2, 3, "time", 56, "{}");
    auto t0 = WallClock::now();
    feed.pull(trace);
    debugger::FilteredView view;  // a filter typed this frame: a full rescan
    view.update(feed, debugger::TrafficFilter{0, "time", debugger::kAllKinds});
    auto rates = debugger::event_rates(feed, entries * 1e-4, 30, 60);
    auto layout = debugger::layout_sequence(feed, 40);
    auto rows = c.kernel->snapshot();
    debugger::CpuMeter cpu;
    cpu.update(rows, 1.0);
    debugger::sort_rows(rows, debugger::Column::Memory, false, cpu);
    ms.push_back(seconds_since(t0) * 1000);
  }
  add({"debugger view-models per frame (" + std::to_string(procs) + " procs, " + std::to_string(entries) +
           " entries)",
       "ms", stat_of(ms), false, {}, "a 60 Hz frame is 16.7 ms"});
}

// Reference figures measured in this run: a bare state's cost.
void reference(const Options& o) {
  int n = o.smoke ? 200 : 20000;
  std::vector<double> rates;
  for (int i = 0; i < o.repeats; i++) {
    auto t0 = WallClock::now();
    for (int k = 0; k < n; k++) {
      lua_State* L = luaL_newstate();
      luaL_requiref(L, "_G", luaopen_base, 1);
      luaL_requiref(L, "string", luaopen_string, 1);
      luaL_requiref(L, "table", luaopen_table, 1);
      luaL_requiref(L, "math", luaopen_math, 1);
      luaL_requiref(L, "coroutine", luaopen_coroutine, 1);
      lua_close(L);
    }
    rates.push_back(n / seconds_since(t0));
  }
  add({"reference: luaL_newstate + 5 libs + close", "states/s", stat_of(rates), false, {}, "reference ~55,000/s"});
}

void write_json(const std::string& path) {
  std::ofstream out(path);
  out << "{\n  \"lua\": \"" << LUA_RELEASE << "\",\n  \"results\": [\n";
  for (std::size_t i = 0; i < rows.size(); i++) {
    const Row& r = rows[i];
    out << "    {\"name\": \"" << r.name << "\", \"unit\": \"" << r.unit << "\", \"median\": " << r.value.median
        << ", \"min\": " << r.value.min << ", \"max\": " << r.value.max;
    if (r.has_baseline)
      out << ", \"baseline_median\": " << r.baseline.median << ", \"ratio\": "
          << (r.baseline.median > 0 ? r.value.median / r.baseline.median : 0);
    if (auto o = others.find(r.name); o != others.end())
      out << ", \"by_reference_median\": " << o->second.by_reference.median << ", \"by_reference_ratio\": "
          << ratio(r.value, o->second.by_reference) << ", \"naive_copy_median\": " << o->second.naive.median
          << ", \"naive_copy_ratio\": " << ratio(r.value, o->second.naive);
    out << ", \"note\": \"" << r.note << "\"}" << (i + 1 < rows.size() ? "," : "") << "\n";
  }
  out << "  ]\n}\n";
}

// --run WORKLOAD WORKERS[,WORKERS...] ARG...: runs of a workload with trace
// off (WORKERS may name a baseline kernel: minimal, ref, copy), for `perf
// record` and for comparisons by hand: MOONBOX_BENCH_TIMES rounds of the
// settings, one right after the other, and the median of the paired ratios
// of the last two.
int run_one(int argc, char** argv) {
  std::string src = workload(argv[0]);
  std::vector<std::string> settings;
  for (std::string_view rest = argv[1]; !rest.empty();) {
    std::size_t comma = rest.find(',');
    settings.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  long a[3] = {0, 0, 0};
  for (int i = 2; i < argc && i < 5; i++) a[i - 2] = std::atol(argv[i]);
  auto args = {a[0], a[1], a[2]};
  const char* times_env = std::getenv("MOONBOX_BENCH_TIMES");
  int times = times_env ? std::max(1, std::atoi(times_env)) : 1;
  std::vector<std::vector<double>> rates(settings.size());
  for (int i = 0; i < times; i++) {
    for (std::size_t k = 0; k < settings.size(); k++) {
      const std::string& what = settings[k];
      bool baseline = what == "minimal" || what == "ref" || what == "copy";
      double t = baseline ? run_baseline(src, args, what.c_str())
                          : run_moonbox(src, args, false, std::max(1, std::atoi(what.c_str())));
      rates[k].push_back(1 / t);
      std::printf("%s on %s: %.4f s\n", argv[0], settings[k].c_str(), t);
    }
  }
  std::size_t n = settings.size();
  if (n >= 2 && times > 1)
    std::printf("%s / %s: %.3fx paired (median of %d)\n", settings[n - 1].c_str(), settings[n - 2].c_str(),
                paired_ratio(rates[n - 1], rates[n - 2]), times);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  self_path = std::filesystem::canonical("/proc/self/exe").string();
  if (argc == 3 && !std::strcmp(argv[1], "--idle-memory")) return idle_memory_child(std::atoi(argv[2]), false);
  if (argc == 3 && !std::strcmp(argv[1], "--used-memory")) return idle_memory_child(std::atoi(argv[2]), true);
  if (argc == 3 && !std::strcmp(argv[1], "--idle-computers")) return idle_computers_child(std::atoi(argv[2]));
  if (argc >= 3 && !std::strcmp(argv[1], "--run")) return run_one(argc - 2, argv + 2);
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--smoke")) o.smoke = true;
    else if (!std::strcmp(argv[i], "--big")) o.big = true;
    else if (!std::strcmp(argv[i], "--json") && i + 1 < argc) o.json = argv[++i];
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) o.only = argv[++i];
  }
  auto want = [&](const char* key) { return o.only.empty() || std::strstr(key, o.only.c_str()); };
  if (o.smoke) o.repeats = 1;
  long s = o.smoke ? 1 : 10;
  std::printf("moonbox benchmarks (%s), Lua %s; medians of %d runs, [min .. max]\n",
              o.smoke ? "smoke" : "full", LUA_RELEASE, o.repeats);
  if (want("messages")) {
    throughput(o, "ping-pong", "pingpong.lua", {2000 * s}, 2.0 * 2000 * s, "msgs/s");
    throughput(o, "one-way stream of {n=i, s=\"hello\"}", "stream.lua", {10000 * s}, 10000.0 * s, "msgs/s");
    throughput(o, "fan-in: 100 clients -> 1 service", "fanin.lua", {100, 5 * s}, 2.0 * 100 * 5 * s, "msgs/s");
    throughput(o, "large: 64 KiB string + nested table", "large.lua", {10 * s}, 2.0 * 10 * s, "msgs/s");
  }
  if (want("minimal")) {
    against_minimal(o, "ping-pong", "pingpong.lua", {2000 * s}, 2.0 * 2000 * s, 1.0);
    against_minimal(o, "one-way stream", "stream.lua", {10000 * s}, 10000.0 * s, 0);
  }
  // The machine has 2 cores: on 4 workers only the scheduling logic shows.
  for (int workers : {2, 4}) {
    if (!want("workers")) break;
    throughput_on_workers(o, "one-way stream", "stream.lua", {10000 * s}, 10000.0 * s, "msgs/s", workers);
    throughput_on_workers(o, "ping-pong", "pingpong.lua", {2000 * s}, 2.0 * 2000 * s, "msgs/s", workers);
    // Ten times the rounds of the row above: 101 spawns and the helpers'
    // first wake-up were most of an 11 ms run, and the noise of one.
    throughput_on_workers(o, "fan-in", "fanin.lua", {100, 50 * s}, 2.0 * 100 * 50 * s, "msgs/s", workers);
    throughput_on_workers(o, "large", "large.lua", {10 * s}, 2.0 * 10 * s, "msgs/s", workers);
  }
  if (want("cpu")) {
    cpu_loop(o);
    cpu_loop_with_breakpoint(o);
  }
  if (want("busy")) {
    busy_on_workers(o, 2);
    busy_on_workers(o, 8);
    beside_busy(o);
  }
  if (want("spawn")) spawn_rate(o);
  if (want("memory")) {
    idle_memory(o, o.smoke ? 100 : 1000, true);
    idle_memory(o, o.smoke ? 100 : 1000, true, true);
    if (!o.smoke) idle_memory(o, 10000, false);
    if (o.big) idle_memory(o, 100000, false);
  }
  if (want("computers")) idle_computers(o, o.smoke ? 10 : 1000);
  if (want("computers") && o.big) idle_computers(o, 10000);
  if (want("latency")) wakeup_latency(o);
  if (want("window")) {
    full_redraw(o);
    debugger_frame(o);
  }
  if (want("reference")) reference(o);
  if (!o.json.empty()) write_json(o.json);
  return 0;
}
