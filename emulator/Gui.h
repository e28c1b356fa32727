// The emulator window: SDL2 + OpenGL 3 + Dear ImGui around one Computer.
#pragma once

#include "emulator/Options.h"

namespace moonbox {

// Runs the window until it is closed (or --quit-after); returns the exit code.
int run_gui(const Options& options);

}  // namespace moonbox
