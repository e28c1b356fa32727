#include "emulator/Keys.h"

namespace moonbox {

int cc_key_code(SDL_Keycode key) {
  if (key >= SDLK_a && key <= SDLK_z) return 65 + (key - SDLK_a);
  if (key >= SDLK_0 && key <= SDLK_9) return 48 + (key - SDLK_0);
  if (key >= SDLK_F1 && key <= SDLK_F12) return 290 + (key - SDLK_F1);
  if (key >= SDLK_F13 && key <= SDLK_F24) return 302 + (key - SDLK_F13);
  if (key >= SDLK_KP_1 && key <= SDLK_KP_9) return 321 + (key - SDLK_KP_1);
  switch (key) {
    case SDLK_SPACE: return 32;
    case SDLK_QUOTE: return 39;
    case SDLK_COMMA: return 44;
    case SDLK_MINUS: return 45;
    case SDLK_PERIOD: return 46;
    case SDLK_SLASH: return 47;
    case SDLK_SEMICOLON: return 59;
    case SDLK_EQUALS: return 61;
    case SDLK_LEFTBRACKET: return 91;
    case SDLK_BACKSLASH: return 92;
    case SDLK_RIGHTBRACKET: return 93;
    case SDLK_BACKQUOTE: return 96;
    case SDLK_RETURN: return 257;
    case SDLK_TAB: return 258;
    case SDLK_BACKSPACE: return 259;
    case SDLK_INSERT: return 260;
    case SDLK_DELETE: return 261;
    case SDLK_RIGHT: return 262;
    case SDLK_LEFT: return 263;
    case SDLK_DOWN: return 264;
    case SDLK_UP: return 265;
    case SDLK_PAGEUP: return 266;
    case SDLK_PAGEDOWN: return 267;
    case SDLK_HOME: return 268;
    case SDLK_END: return 269;
    case SDLK_CAPSLOCK: return 280;
    case SDLK_SCROLLLOCK: return 281;
    case SDLK_NUMLOCKCLEAR: return 282;
    case SDLK_PRINTSCREEN: return 283;
    case SDLK_PAUSE: return 284;
    case SDLK_KP_0: return 320;
    case SDLK_KP_PERIOD: return 330;
    case SDLK_KP_DIVIDE: return 331;
    case SDLK_KP_MULTIPLY: return 332;
    case SDLK_KP_MINUS: return 333;
    case SDLK_KP_PLUS: return 334;
    case SDLK_KP_ENTER: return 335;
    case SDLK_KP_EQUALS: return 336;
    case SDLK_LSHIFT: return 340;
    case SDLK_LCTRL: return 341;
    case SDLK_LALT: return 342;
    case SDLK_LGUI: return 343;
    case SDLK_RSHIFT: return 344;
    case SDLK_RCTRL: return 345;
    case SDLK_RALT: return 346;
    case SDLK_RGUI: return 347;
    case SDLK_APPLICATION: return 348;
    default: return 0;
  }
}

std::string to_cc_chars(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp;
    std::size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; len = 4; }
    else { i++; continue; }  // a stray continuation byte
    if (i + len > utf8.size()) break;
    bool ok = true;
    for (std::size_t k = 1; k < len; k++) {
      auto cc = static_cast<unsigned char>(utf8[i + k]);
      if ((cc & 0xC0) != 0x80) { ok = false; break; }
      cp = (cp << 6) | (cc & 0x3F);
    }
    i += ok ? len : 1;
    if (!ok) continue;
    if ((cp >= 32 && cp < 127) || (cp >= 160 && cp <= 255)) out += static_cast<char>(cp);
  }
  return out;
}

}  // namespace moonbox
