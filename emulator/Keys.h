// Keyboard and text mapping from SDL to ComputerCraft's conventions.
#pragma once

#include <SDL.h>

#include <string>
#include <string_view>

namespace moonbox {

// The CC:Tweaked key code (GLFW numbering) for an SDL key; 0 if none.
int cc_key_code(SDL_Keycode key);

// UTF-8 text as CC characters (ISO 8859-1 bytes). Code points above 255 and
// control characters have no CC form and are dropped.
std::string to_cc_chars(std::string_view utf8);

}  // namespace moonbox
