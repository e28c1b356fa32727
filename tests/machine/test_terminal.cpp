// The terminal model: write, blit, scroll, clear, palette, clipping, wrap.
#include <doctest/doctest.h>

#include "vm/machine/Terminal.h"

using namespace moonbox;

TEST_CASE("write puts text at the cursor, clips, and moves the cursor") {
  Terminal t;
  CHECK(t.width() == 51);
  CHECK(t.height() == 19);
  t.set_cursor(49, 1);
  t.write("abcdef");
  CHECK(t.row_text(0).substr(48) == "abc");
  CHECK(t.cursor_x() == 55);
  t.set_cursor(-1, 2);
  t.write("xyz");
  CHECK(t.row_text(1).substr(0, 2) == "z ");
  t.set_cursor(1, 30);  // below the screen: nothing drawn, no crash
  t.write("hidden");
  for (int y = 2; y < t.height(); y++) CHECK(t.row_text(y) == std::string(51, ' '));
}

TEST_CASE("colours go with the text") {
  Terminal t;
  t.set_text_colour(14);
  t.set_background_colour(11);
  t.write("R");
  CHECK(t.at(0, 0).fg == 14);
  CHECK(t.at(0, 0).bg == 11);
  CHECK(t.at(1, 0).fg == 0);
}

TEST_CASE("blit sets each cell's colours and rejects bad digits") {
  Terminal t;
  CHECK(t.blit("ab", "0e", "fb"));
  CHECK(t.at(0, 0).ch == 'a');
  CHECK(t.at(1, 0).fg == 14);
  CHECK(t.at(1, 0).bg == 11);
  t.set_cursor(1, 2);
  CHECK_FALSE(t.blit("x", "z", "f"));
  CHECK(t.at(0, 1).ch == ' ');
  CHECK(blit_digit('F') == 15);
  CHECK(blit_digit('g') == -1);
}

TEST_CASE("scroll and clear use the background colour") {
  Terminal t;
  t.write("top");
  t.set_cursor(1, 2);
  t.write("second");
  t.set_background_colour(3);
  t.scroll(1);
  CHECK(t.row_text(0).starts_with("second"));
  CHECK(t.at(0, 18).bg == 3);
  t.scroll(-2);
  CHECK(t.row_text(2).starts_with("second"));
  t.set_cursor(1, 3);
  t.clear_line();
  CHECK(t.row_text(2) == std::string(51, ' '));
  t.clear();
  for (int y = 0; y < t.height(); y++) CHECK(t.at(5, y).bg == 3);
}

TEST_CASE("palette and colour numbers") {
  Terminal t;
  CHECK(t.palette(0) == 0xF0F0F0);
  CHECK(t.palette(15) == 0x111111);
  t.set_palette(0, 0x123456);
  CHECK(t.palette(0) == 0x123456);
  CHECK(t.palette_dirty());
  CHECK(colour_to_index(1) == 0);
  CHECK(colour_to_index(0x8000) == 15);
  CHECK(colour_to_index(0x4001) == 14);  // highest bit, as CC:Tweaked
  CHECK(colour_to_index(0) == -1);
  CHECK(colour_to_index(0x10000) == -1);
}

TEST_CASE("wrapped writes break at words and scroll at the bottom") {
  Terminal t;
  std::string words;
  for (int i = 0; i < 12; i++) words += "word" + std::to_string(i) + " ";
  int lines = t.write_wrapped(words);
  CHECK(lines == 1);
  CHECK(t.row_text(0).find("word7 ") != std::string::npos);  // 48 columns
  CHECK(t.row_text(1).starts_with("word8"));                  // would not fit
  for (int i = 0; i < 30; i++) t.write_wrapped("line " + std::to_string(i) + "\n");
  CHECK(t.row_text(17).starts_with("line 29"));
  CHECK(t.cursor_y() == 19);
  t.write_wrapped(std::string(120, 'x'));  // longer than a line: broken
  CHECK(t.row_text(18).starts_with("xxxxxxxxxxxxxxxxxx"));
}

TEST_CASE("dirty rows are tracked for the renderer") {
  Terminal t;
  t.clear_dirty();
  CHECK_FALSE(t.row_dirty(4));
  t.set_cursor(1, 5);
  t.write("x");
  CHECK(t.row_dirty(4));
  CHECK_FALSE(t.row_dirty(3));
  t.clear_dirty();
  CHECK_FALSE(t.row_dirty(4));
}
