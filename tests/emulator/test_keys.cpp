// SDL -> ComputerCraft key codes and characters.
#include <doctest/doctest.h>

#include "emulator/Keys.h"

using namespace moonbox;

TEST_CASE("SDL keys map to CC:Tweaked's codes") {
  CHECK(cc_key_code(SDLK_a) == 65);
  CHECK(cc_key_code(SDLK_z) == 90);
  CHECK(cc_key_code(SDLK_0) == 48);
  CHECK(cc_key_code(SDLK_RETURN) == 257);
  CHECK(cc_key_code(SDLK_BACKSPACE) == 259);
  CHECK(cc_key_code(SDLK_UP) == 265);
  CHECK(cc_key_code(SDLK_F1) == 290);
  CHECK(cc_key_code(SDLK_LCTRL) == 341);
  CHECK(cc_key_code(SDLK_KP_5) == 325);
  CHECK(cc_key_code(SDLK_KP_ENTER) == 335);
  CHECK(cc_key_code(SDLK_AUDIOPLAY) == 0);  // no CC key: ignored
}

TEST_CASE("text maps to CC characters; what cannot be mapped is dropped") {
  CHECK(to_cc_chars("hello") == "hello");
  CHECK(to_cc_chars("caf\xc3\xa9") == "caf\xe9");            // é is Latin-1 0xE9
  CHECK(to_cc_chars("\xe2\x82\xac") == "");                  // € has no CC form
  CHECK(to_cc_chars("\xf0\x9f\x98\x80!") == "!");            // emoji dropped
  CHECK(to_cc_chars("a\tb\n") == "ab");                      // control characters dropped
  CHECK(to_cc_chars("\xc3") == "");                          // truncated sequence
  CHECK(to_cc_chars("\x80\xbfok") == "ok");                  // stray continuation bytes
}
