// moonbox: the command line entry point.
#include <cstdio>

#include "emulator/Cli.h"
#include "emulator/Dap.h"
#include "emulator/Gui.h"
#include "emulator/Headless.h"
#include "emulator/Options.h"

int main(int argc, char** argv) {
  moonbox::Options options;
  if (auto code = moonbox::parse_options(argc, argv, options)) return *code;
  if (options.dap) return moonbox::run_dap(options) & 0xff;
  if (options.cli) return moonbox::run_cli(options) & 0xff;
  if (!options.headless) return moonbox::run_gui(options);
  if (options.program.empty()) {
    std::fprintf(stderr, "moonbox: --headless needs a PROGRAM.lua\n");
    return 2;
  }
  return moonbox::run_headless(options) & 0xff;
}
