// moonbox --dap: the Debug Adapter Protocol over stdin/stdout (Dap.cpp).
#pragma once

#include "emulator/Options.h"

namespace moonbox {

// Serves one debugging session: launch a headless program, then breakpoints,
// stepping, stacks, variables and evaluation per process (one DAP thread per
// process). Returns the program's exit status.
int run_dap(const Options& options);

}  // namespace moonbox
