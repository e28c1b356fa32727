// Terminal: the computer's text screen, a grid of cells with CC semantics.
//
// The model lives in the kernel; the emulator's renderer only reads it. Rows
// that change are marked dirty so that a renderer redraws only those.
#pragma once

#include <array>
#include <mutex>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace moonbox {

struct Cell {
  std::uint8_t ch = ' ';
  std::uint8_t fg = 0;   // palette index (blit digit), 0 = white
  std::uint8_t bg = 15;  // 15 = black
  bool operator==(const Cell&) const = default;
};

class Terminal {
 public:
  static constexpr int kDefaultWidth = 51;
  static constexpr int kDefaultHeight = 19;
  static const std::array<std::uint32_t, 16> kDefaultPalette;  // 0xRRGGBB

  Terminal(int width = kDefaultWidth, int height = kDefaultHeight);

  int width() const { return width_; }
  int height() const { return height_; }
  // A new size (a monitor's text scale): what fits stays, the rest is blank.
  void resize(int width, int height);

  // CC's term.write: at the cursor, no wrapping, the cursor moves on.
  void write(std::string_view text);
  // CC's term.blit: text, fg and bg of equal length; fg/bg are blit digits
  // (0-9, a-f). Returns false when a digit is not one.
  bool blit(std::string_view text, std::string_view fg, std::string_view bg);
  void clear();
  void clear_line();
  void scroll(int lines);
  // bios write(): wraps at word boundaries and scrolls; returns the number of
  // line breaks made.
  int write_wrapped(std::string_view text);

  // The cursor is 1-based, as in CC, and may lie outside the screen.
  int cursor_x() const { return cursor_x_; }
  int cursor_y() const { return cursor_y_; }
  void set_cursor(int x, int y);
  bool cursor_blink() const { return cursor_blink_; }
  void set_cursor_blink(bool on);

  int text_colour() const { return fg_; }
  int background_colour() const { return bg_; }
  void set_text_colour(int index) {
    std::lock_guard lock(mutex_);
    fg_ = static_cast<std::uint8_t>(index & 15);
    changed_ = true;
  }
  void set_background_colour(int index) {
    std::lock_guard lock(mutex_);
    bg_ = static_cast<std::uint8_t>(index & 15);
  }

  std::uint32_t palette(int index) const { return palette_[index & 15]; }
  void set_palette(int index, std::uint32_t rgb);

  const Cell& at(int x, int y) const { return cells_[static_cast<std::size_t>(y * width_ + x)]; }
  // The text of row y (0-based), for tests and the headless dump.
  std::string row_text(int y) const;

  // Every change takes the terminal's lock; a reader on another thread (the
  // window, drawing while the kernel runs) holds this while it reads, so
  // that it sees whole changes. The kernel's own thread reads without it.
  std::unique_lock<std::recursive_mutex> lock_for_reading() const { return std::unique_lock(mutex_); }

  // Change tracking for renderers.
  bool row_dirty(int y) const { return dirty_[static_cast<std::size_t>(y)]; }
  bool palette_dirty() const { return palette_dirty_; }
  // Anything a viewer shows changed since clear_dirty: a cell, the palette,
  // the size, the cursor, its blink or colour (multishell's cue to redraw).
  bool changed() const { return changed_; }
  void clear_dirty();

 private:
  Cell& cell(int x, int y) { return cells_[static_cast<std::size_t>(y * width_ + x)]; }
  void touch(int y);
  template <class CellOf>
  void put_run(std::size_t n, CellOf cell_of);
  void newline();

  int width_, height_;
  std::vector<Cell> cells_;
  std::vector<bool> dirty_;
  std::array<std::uint32_t, 16> palette_ = kDefaultPalette;
  int cursor_x_ = 1, cursor_y_ = 1;
  bool cursor_blink_ = false;
  std::uint8_t fg_ = 0, bg_ = 15;
  bool palette_dirty_ = true;
  bool changed_ = true;
  mutable std::recursive_mutex mutex_;
};

// A blit digit (0-9, a-f, A-F) as a palette index; -1 if it is not one.
int blit_digit(char c);
// CC colour (1, 2, 4 ... 0x8000) as a palette index, by its highest bit, as
// CC:Tweaked does; -1 when out of range.
int colour_to_index(long long colour);

}  // namespace moonbox
