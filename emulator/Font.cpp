// The 6x9 font (X11 misc-fixed, converted by assets/make_font.py) and CC's
// block characters, for everything that draws the terminal: the window's
// renderer and the GIF recorder. No GL here.
#include "emulator/Font.h"

namespace moonbox {

namespace {
const std::uint8_t kFont[256][9] = {
#include "assets/font6x9.inc"
};

}  // namespace

// Characters 128-159 are 2x3 blocks: bit k of (ch - 128) fills sub-pixel k,
// numbered left to right, top to bottom; each sub-pixel is 3x3 pixels.
std::uint8_t glyph_row(std::uint8_t ch, int row) {
  if (ch < 128 || ch >= 160) return kFont[ch][row];
  int bits = ch - 128;
  int band = row / 3;  // 9 rows = 3 bands of 3
  std::uint8_t out = 0;
  if (bits & (1 << (band * 2))) out |= 0x38;      // left half: pixels 0-2
  if (bits & (1 << (band * 2 + 1))) out |= 0x07;  // right half: pixels 3-5
  return out;
}

}  // namespace moonbox
