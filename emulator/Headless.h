// The headless runner: a computer with no window. PID 1 is init, PROGRAM runs
// as its child, terminal output goes to stdout as lines.
#pragma once

#include "emulator/Options.h"

namespace moonbox {

// Runs until PROGRAM ends; returns its exit status (0, exit(n), 1 for an
// uncaught error, 128+n for death by signal n).
int run_headless(const Options& options);

}  // namespace moonbox
