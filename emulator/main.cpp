// moonbox: the command line entry point.
#include <cstdio>

#include "emulator/Headless.h"
#include "emulator/Options.h"

int main(int argc, char** argv) {
  moonbox::Options options;
  if (auto code = moonbox::parse_options(argc, argv, options)) return *code;
  if (!options.headless) {
    // The SDL2 window is not built yet: fall back to the headless runner so
    // that `moonbox PROGRAM.lua` already works.
    if (options.program.empty()) options.program = options.rom_dir + "/programs/ipcdemo.lua";
  }
  if (options.program.empty()) {
    std::fprintf(stderr, "moonbox: --headless needs a PROGRAM.lua\n");
    return 2;
  }
  return moonbox::run_headless(options) & 0xff;
}
