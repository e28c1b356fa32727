// Saving what the window shows.
#pragma once

#include <string>

namespace moonbox {

// Reads the current GL framebuffer (width x height) and writes it as PNG, or
// BMP when path ends in ".bmp". Returns false on failure.
bool save_framebuffer(const std::string& path, int width, int height);

}  // namespace moonbox
