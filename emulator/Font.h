// The terminal's font: 6x9 pixel cells.
#pragma once

#include <cstdint>

namespace moonbox {

inline constexpr int kFontCellW = 6, kFontCellH = 9;

// The 6x9 glyph rows of a character (bit 5 = leftmost pixel), blocks drawn
// procedurally for 128-159 as CC does.
std::uint8_t glyph_row(std::uint8_t ch, int row);

}  // namespace moonbox
