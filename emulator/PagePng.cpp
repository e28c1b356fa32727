#include "emulator/PagePng.h"

#include <cstdint>
#include <vector>

#include <stb_image_write.h>

#include "emulator/Font.h"

namespace moonbox {

bool save_page_png(const PrintedPage& page) {
  constexpr int kScale = 2, kMargin = 6;
  constexpr std::uint8_t kPaper[3] = {0xF4, 0xF1, 0xE6}, kInk[3] = {0x19, 0x19, 0x19};
  int cols = 0;
  for (const std::string& row : page.text) cols = std::max(cols, static_cast<int>(row.size()));
  int rows = static_cast<int>(page.text.size());
  int w = (cols * kFontCellW + 2 * kMargin) * kScale, h = (rows * kFontCellH + 2 * kMargin) * kScale;
  if (w <= 0 || h <= 0) return false;
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w * h * 3));
  for (std::size_t i = 0; i < rgb.size(); i += 3) std::copy(kPaper, kPaper + 3, rgb.begin() + static_cast<long>(i));
  for (int y = 0; y < rows; y++) {
    const std::string& row = page.text[static_cast<std::size_t>(y)];
    for (int x = 0; x < static_cast<int>(row.size()); x++) {
      for (int gy = 0; gy < kFontCellH; gy++) {
        std::uint8_t bits = glyph_row(static_cast<std::uint8_t>(row[static_cast<std::size_t>(x)]), gy);
        for (int gx = 0; gx < kFontCellW; gx++) {
          if (!(bits & (1 << (kFontCellW - 1 - gx)))) continue;
          int px = (kMargin + x * kFontCellW + gx) * kScale, py = (kMargin + y * kFontCellH + gy) * kScale;
          for (int sy = 0; sy < kScale; sy++)
            for (int sx = 0; sx < kScale; sx++) {
              std::size_t at = static_cast<std::size_t>(((py + sy) * w + px + sx) * 3);
              std::copy(kInk, kInk + 3, rgb.begin() + static_cast<long>(at));
            }
        }
      }
    }
  }
  return stbi_write_png(page.png_path.string().c_str(), w, h, 3, rgb.data(), w * 3) != 0;
}

}  // namespace moonbox
