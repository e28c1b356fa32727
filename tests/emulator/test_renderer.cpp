// The terminal renderer's CPU side: only changed rows are redrawn, and the
// pixels come from the font and the palette.
#include <doctest/doctest.h>

#include "emulator/TerminalRenderer.h"

using namespace moonbox;

TEST_CASE("the renderer redraws only the rows that changed") {
  Terminal t;
  TerminalRenderer r;
  r.update_image(t);
  CHECK(r.rows_redrawn() == t.height());  // the first image is drawn whole
  CHECK(r.image_width() == 51 * 6);
  CHECK(r.image_height() == 19 * 9);
  r.update_image(t);
  CHECK(r.rows_redrawn() == 0);           // nothing changed
  t.set_cursor(1, 4);
  t.write("x");
  r.update_image(t);
  CHECK(r.rows_redrawn() == 1);
  t.set_palette(15, 0x000000);            // a palette change redraws everything
  r.update_image(t);
  CHECK(r.rows_redrawn() == t.height());
}

TEST_CASE("pixels come from the font and the palette") {
  Terminal t;
  TerminalRenderer r;
  t.blit("\x8f", "e", "b");  // a 2x3 block char: top two bands in red, on blue
  r.update_image(t);
  auto px = [&](int x, int y) { return r.pixels()[static_cast<std::size_t>(y * r.image_width() + x)]; };
  // 0xAABBGGRR: red CC4C4C, blue 3366CC
  CHECK(px(1, 1) == 0xFF4C4CCCu);
  CHECK(px(5, 8) == 0xFFCC6633u);         // the bottom band stays background
  CHECK(glyph_row(0x8f, 0) == 0x3f);
  CHECK(glyph_row(0x8f, 8) == 0x00);
}
