// What the Lua layer hands the kernel for every process it starts: the
// sandboxed environment, CC's dialect for main chunks, and the program's own
// debug hooks. Whoever configures a computer (the emulator, the tests, the
// bench) calls this, so that the kernel and the machine below never include
// the bindings.
#pragma once

#include "vm/kernel/Kernel.h"

namespace moonbox {

void use_lua_programs(KernelConfig& config);

}  // namespace moonbox
