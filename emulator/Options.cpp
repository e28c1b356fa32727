#include "emulator/Options.h"
#include "vm/lua/Environment.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

namespace moonbox {

namespace fs = std::filesystem;

std::optional<int> parse_options(int argc, char** argv, Options& out) {
  CLI::App app{"moonbox: a ComputerCraft-style computer whose every process is its own Lua 5.4 state",
               "moonbox"};
  app.set_version_flag("--version", "moonbox " MOONBOX_VERSION);
  app.add_flag("--headless", out.headless, "No window: run PROGRAM, print its output to stdout");
  app.add_flag("--dap", out.dap,
               "Debug Adapter Protocol on stdin/stdout (VS Code): launch {program, args, headless, dataDir}");
  app.add_option("--dap-port", out.dap_port,
                 "With the window: listen on 127.0.0.1:PORT for Debug Adapter Protocol clients that attach to it "
                 "(0: any free port, printed on stderr)")
      ->check(CLI::Range(0, 65535));
  app.add_flag("--cli", out.cli, "No window: the computer in this text terminal (ncurses)");
  app.add_flag("--debugger", out.debugger, "Open with the IPC debugger panels visible (F12 toggles)");
  app.add_option("--screenshot", out.screenshot, "Save the window as PNG/BMP to PATH (with --quit-after)");
  app.add_option("--record", out.record, "Record the terminal as an animated GIF into FILE, from the start");
  app.add_flag("--frame-stats", out.frame_stats, "Print frame-time statistics when the window closes");
  app.add_option("--quit-after", out.quit_after, "Quit after SECONDS")->check(CLI::NonNegativeNumber);
  app.add_option("--trace", out.trace_file, "Write every IPC fact to FILE (see --trace-format)");
  app.add_option("--trace-format", out.trace_format,
                 "jsonl: one JSON object a line (default); chrome: trace events for Perfetto / chrome://tracing")
      ->check(CLI::IsMember({"jsonl", "chrome"}));
  app.add_option("--data-dir", out.data_dir, "Computer 0's file system root (a host directory)");
  app.add_option("--world-dir", out.world_dir,
                 "Where the other computers, floppies and printouts live (default: DATA-DIR/.moonbox/world "
                 "with --data-dir, else $XDG_DATA_HOME/moonbox)");
  app.add_option("--rom", out.rom_dir, "The rom directory to mount read-only at /rom");
  // Checked by hand: CLI11's PositiveNumber says "Value 0 not in range
  // 0.000000 to 1797693...", a 300-digit number.
  app.add_option("--memory-limit", out.memory_limit, "Memory quota per process, in bytes (at least 65536)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            char* end = nullptr;
            errno = 0;
            unsigned long long n = std::strtoull(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || value[0] == '-' || errno == ERANGE)
              return "expected a whole number of bytes, got '" + value + "'";
            if (n < kMinMemoryLimit) return "at least 65536 bytes are needed to start a process, got " + value;
            return {};
          },
          "BYTES"));
  app.add_option("--modem-range", out.modem_range,
                 "How far a wireless modem reaches, in blocks, between computers with positions "
                 "(periphemu.setPosition); 0: unlimited (default 64, CC's)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--workers", out.workers,
                 "Threads that run each computer's processes (default: the number of cores; "
                 "1: a single, repeatable schedule)")
      ->check(CLI::Range(1, 256));
  app.add_option("--config", out.config_file,
                 "moonbox's configuration file (JSON; default WORLD-DIR/config.json): the http API's rules, "
                 "limits and service addresses");
  app.add_option("--http-allow", out.http_allow,
                 "Let the http API reach PATTERN (a host, *.domain, an IP address or a CIDR range), before the "
                 "rules of the configuration; repeatable")
      ->allow_extra_args(false);
  app.add_option("--http-deny", out.http_deny, "Keep the http API from PATTERN, before every allow; repeatable")
      ->allow_extra_args(false);
  app.add_flag("--no-http", out.no_http, "Turn the http API off (no http global)");
  app.add_option("--bridge", out.bridge,
                 "Share the modems' media with every instance on an MQTT broker: mqtt://[USER:PW@]HOST[:PORT]/WORLD "
                 "(or mqtts://)");
  app.add_flag("--bridge-wired", out.bridge_wired, "Bridge the wired medium too (default: wireless only)");
  app.add_option("--computer-id", out.computer_id, "The id of this instance's first computer (default 0)")
      ->check(CLI::Range(0, 65535));
  app.add_option("program", out.program, "PROGRAM.lua to run (default: boot into the shell); "
                 "everything after it is its arguments, verbatim");
  // Everything after PROGRAM belongs to it, verbatim and in order, options
  // and "--" included (as `lua prog.lua ARGS`): PROGRAM is the first
  // argument that is neither an option nor an option's value, and CLI11
  // sees only what comes before it.
  int program_at = argc;
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "--") {  // moonbox's options end; PROGRAM follows
      program_at = i + 1;
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      program_at = i;
      break;
    }
    const CLI::Option* opt = a.find('=') == std::string_view::npos ? app.get_option_no_throw(std::string(a)) : nullptr;
    if (opt && opt->get_items_expected_min() > 0) i++;  // its value
  }
  std::vector<const char*> own(argv, argv + std::min(program_at + 1, argc));
  if (program_at > 0 && program_at < argc && std::string_view(argv[program_at - 1]) == "--") own.erase(own.end() - 2);
  for (int i = program_at + 1; i < argc; i++) out.args.emplace_back(argv[i]);
  try {
    app.parse(static_cast<int>(own.size()), own.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  // Without --data-dir, computer 0 is one of the world's computers; with it,
  // the world stays inside that directory (hidden from its programs), so a
  // run with its own --data-dir never touches the user's computers.
  if (out.data_dir.empty()) {
    if (out.world_dir.empty()) out.world_dir = default_world_dir();
    out.data_dir = (fs::path(out.world_dir) / "computer" / "0").string();
  } else if (out.world_dir.empty()) {
    out.world_dir = (fs::path(out.data_dir) / ".moonbox" / "world").string();
  }
  if (out.rom_dir.empty()) out.rom_dir = default_rom_dir(argc > 0 ? argv[0] : "moonbox");
  std::string why;
  if (!make_http_config(out, &why)) {
    std::cerr << "moonbox: " << why << "\n";
    return 2;
  }
  return std::nullopt;
}

// The http API's configuration: the configuration file's, then the command
// line's rules in front: every --http-deny, then every --http-allow (a deny
// wins over an allow for the same request), then the file's or CC's
// defaults.
bool make_http_config(Options& options, std::string* why) {
  auto config = std::make_shared<HttpConfig>();
  std::string file = options.config_file.empty() ? (fs::path(options.world_dir) / "config.json").string()
                                                 : options.config_file;
  if (!options.config_file.empty() && !fs::exists(file)) {
    *why = "--config " + file + ": no such file";
    return false;
  }
  if (!read_http_config(file, *config, why)) return false;
  if (options.bridge.empty() && !read_bridge_config(file, options.bridge, options.bridge_wired, why)) return false;
  std::vector<HttpRules::Rule> first;
  for (const auto& [patterns, action] : {std::pair{&options.http_deny, HttpRules::Action::Deny},
                                         std::pair{&options.http_allow, HttpRules::Action::Allow}}) {
    for (const std::string& p : *patterns) {
      auto rule = HttpRules::parse(p, action, why);
      if (!rule) return false;
      first.push_back(std::move(*rule));
    }
  }
  config->rules.prepend(std::move(first));
  if (options.no_http) config->enabled = false;
  options.http = std::move(config);
  return true;
}

int default_workers() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(std::min(cores, 64u));
}

ComputerConfig computer_config(const Options& options) {
  ComputerConfig config;
  config.data_dir = options.data_dir;
  config.rom_dir = options.rom_dir;
  config.trace_file = options.trace_file;
  config.trace_format = options.trace_format;
  config.kernel.memory_limit = options.memory_limit;
  config.kernel.workers = options.workers > 0 ? options.workers : default_workers();
  if (options.http) config.http = options.http;
  use_lua_programs(config.kernel);
  return config;
}

WorldConfig world_config(const Options& options, const std::string& mode) {
  WorldConfig config;
  config.base_dir = options.world_dir;
  config.computer = computer_config(options);
  config.boot_mode = mode == "headless" ? "gui" : mode;  // another computer boots its shell
  config.wireless_range = options.modem_range;
  config.host_id = options.computer_id;
  config.bridge = BridgeConfig{options.bridge, options.bridge_wired};
  return config;
}

BootRequest boot_request(const Options& options, const std::string& mode) {
  return BootRequest{mode, options.program, options.args};
}

std::string default_world_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  fs::path base;
  if (xdg && *xdg) {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    base = fs::path(home && *home ? home : ".") / ".local" / "share";
  }
  return (base / "moonbox").string();
}

namespace {
// XDG_PICTURES_DIR as the user's user-dirs.dirs sets it (a line
// XDG_PICTURES_DIR="$HOME/Pictures"), or "".
std::string pictures_from_user_dirs() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  fs::path file = config && *config ? fs::path(config) : fs::path(home && *home ? home : ".") / ".config";
  std::ifstream in(file / "user-dirs.dirs");
  std::string line;
  while (std::getline(in, line)) {
    const std::string key = "XDG_PICTURES_DIR=";
    if (line.rfind(key, 0) != 0) continue;
    std::string value = line.substr(key.size());
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (value.rfind("$HOME", 0) == 0) value = std::string(home ? home : "") + value.substr(5);
    return value;
  }
  return {};
}
}  // namespace

fs::path captures_dir(const Options& options) {
  const char* env = std::getenv("XDG_PICTURES_DIR");
  std::string pictures = env && *env ? env : pictures_from_user_dirs();
  if (!pictures.empty()) return fs::path(pictures) / "moonbox";
  return fs::path(options.world_dir) / "screenshots";
}

std::string default_rom_dir(const char* argv0) {
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  fs::path installed = exe.parent_path().parent_path() / "share" / "moonbox" / "rom";
  if (fs::is_directory(installed, ec)) return installed.string();
  return MOONBOX_SOURCE_ROM;
}

}  // namespace moonbox
