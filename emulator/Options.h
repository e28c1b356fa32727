// The command line, shared by the window and the headless runner.
#pragma once

#include <cstddef>
#include <optional>
#include <filesystem>
#include <string>
#include <vector>

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"

namespace moonbox {

// The smallest --memory-limit: below it, not even init's state starts.
inline constexpr std::size_t kMinMemoryLimit = 65536;

struct Options {
  bool headless = false;
  bool dap = false;                // --dap: the Debug Adapter Protocol on stdin/stdout
  int dap_port = -1;               // --dap-port: the window listens for DAP clients (0: any port)
  bool cli = false;                // the computer in this text terminal
  bool debugger = false;
  std::string screenshot;
  std::string record;              // --record FILE: a GIF of the whole run
  bool frame_stats = false;        // print frame-time statistics on exit
  double quit_after = 0;
  std::string trace_file;
  std::string trace_format = "jsonl";
  std::string data_dir;             // computer 0's files
  std::string world_dir;            // the other computers, floppies, printouts
  std::string rom_dir;
  std::size_t memory_limit = defaults::kMemoryLimit;
  double modem_range = 64;          // wireless modems' range in blocks, CC's; 0: unlimited
  int workers = 0;                 // threads per computer; 0: the number of cores
  std::string config_file;         // --config: moonbox's configuration (JSON); default WORLD_DIR/config.json
  std::vector<std::string> http_allow;  // --http-allow PATTERN, in order
  std::vector<std::string> http_deny;   // --http-deny PATTERN
  bool no_http = false;                 // --no-http
  std::string bridge;                   // --bridge mqtt://HOST[:PORT]/WORLD
  bool bridge_wired = false;            // --bridge-wired: the wired medium too
  int computer_id = 0;                  // --computer-id: the host's computer's id
  // The http API's configuration: the file's, then the command line's
  // rules before its rules (filled by parse_options).
  std::shared_ptr<const HttpConfig> http;
  std::string program;             // host path of PROGRAM.lua, or empty
  std::vector<std::string> args;   // its arguments
};

// Parses argv. Returns an exit code when the program should stop right away
// (--help, --version, a bad option), having printed what it should.
std::optional<int> parse_options(int argc, char** argv, Options& out);
// Builds options.http from the configuration file and the --http-* options;
// false (and *why) when the file or a pattern cannot be read.
bool make_http_config(Options& options, std::string* why);

// --workers' default: the number of cores.
int default_workers();
// What the options say of computer 0.
ComputerConfig computer_config(const Options& options);
// The world: computer 0 as above, the others in world_dir/computer/<id>,
// booting their shell as init's `mode` says; printed pages drawn as PNG.
WorldConfig world_config(const Options& options, const std::string& mode);
BootRequest boot_request(const Options& options, const std::string& mode);

// $XDG_DATA_HOME/moonbox, or ~/.local/share/moonbox without it: the world,
// with computer N in computer/N (CraftOS-PC's layout).
std::string default_world_dir();
// Where F2's screenshots and F3's recordings go: $XDG_PICTURES_DIR/moonbox
// (from the environment, else from the user's user-dirs.dirs), else
// WORLD_DIR/screenshots, which is outside every computer's files.
std::filesystem::path captures_dir(const Options& options);
// The installed rom next to the executable, else the source tree's.
std::string default_rom_dir(const char* argv0);

}  // namespace moonbox
