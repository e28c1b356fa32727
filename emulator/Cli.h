// The computer in the host's text terminal (--cli), through ncurses.
#pragma once

#include "emulator/Options.h"

namespace moonbox {

// Runs the computer drawn in the terminal until the program (or, without
// one, the shell) ends. The exit code follows headless mode's rules.
int run_cli(const Options& options);

}  // namespace moonbox
