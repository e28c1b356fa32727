#include "vm/machine/Terminal.h"

#include <algorithm>
#include <string>

namespace moonbox {

// CC's default palette, indexed by blit digit 0..f.
const std::array<std::uint32_t, 16> Terminal::kDefaultPalette = {
    0xF0F0F0, 0xF2B233, 0xE57FD8, 0x99B2F2, 0xDEDE6C, 0x7FCC19, 0xF2B2CC, 0x4C4C4C,
    0x999999, 0x4C99B2, 0xB266E5, 0x3366CC, 0x7F664C, 0x57A64E, 0xCC4C4C, 0x111111,
};

int blit_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int colour_to_index(long long colour) {
  if (colour <= 0 || colour > 0xFFFF) return -1;
  int bit = 63 - __builtin_clzll(static_cast<unsigned long long>(colour));
  return bit;
}

Terminal::Terminal(int width, int height) : width_(width), height_(height) {
  cells_.assign(static_cast<std::size_t>(width * height), Cell{});
  dirty_.assign(static_cast<std::size_t>(height), true);
  changed_ = true;
}

void Terminal::resize(int width, int height) {
  std::lock_guard lock(mutex_);
  if (width == width_ && height == height_) return;
  std::vector<Cell> cells(static_cast<std::size_t>(width * height), Cell{});
  for (int y = 0; y < std::min(height, height_); y++)
    for (int x = 0; x < std::min(width, width_); x++)
      cells[static_cast<std::size_t>(y * width + x)] = at(x, y);
  cells_ = std::move(cells);
  width_ = width;
  height_ = height;
  dirty_.assign(static_cast<std::size_t>(height), true);
}

void Terminal::touch(int y) {
  dirty_[static_cast<std::size_t>(y)] = true;
  changed_ = true;
}

// Puts cell_of(i) for i in [0, n) at the cursor, clipped to the screen, and
// moves the cursor past them: what write and blit share.
template <class CellOf>
void Terminal::put_run(std::size_t n, CellOf cell_of) {
  int y = cursor_y_ - 1;
  if (y >= 0 && y < height_) {
    for (std::size_t i = 0; i < n; i++) {
      int x = cursor_x_ - 1 + static_cast<int>(i);
      if (x < 0) continue;
      if (x >= width_) break;
      cell(x, y) = cell_of(i);
    }
    touch(y);
  }
  cursor_x_ += static_cast<int>(n);
}

void Terminal::write(std::string_view text) {
  std::lock_guard lock(mutex_);
  put_run(text.size(), [&](std::size_t i) { return Cell{static_cast<std::uint8_t>(text[i]), fg_, bg_}; });
}

bool Terminal::blit(std::string_view text, std::string_view fg, std::string_view bg) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < text.size(); i++)
    if (blit_digit(fg[i]) < 0 || blit_digit(bg[i]) < 0) return false;
  put_run(text.size(), [&](std::size_t i) {
    return Cell{static_cast<std::uint8_t>(text[i]), static_cast<std::uint8_t>(blit_digit(fg[i])),
                static_cast<std::uint8_t>(blit_digit(bg[i]))};
  });
  return true;
}

void Terminal::clear() {
  std::lock_guard lock(mutex_);
  std::fill(cells_.begin(), cells_.end(), Cell{' ', fg_, bg_});
  for (int y = 0; y < height_; y++) touch(y);
}

void Terminal::clear_line() {
  std::lock_guard lock(mutex_);
  int y = cursor_y_ - 1;
  if (y < 0 || y >= height_) return;
  for (int x = 0; x < width_; x++) cell(x, y) = Cell{' ', fg_, bg_};
  touch(y);
}

void Terminal::scroll(int lines) {
  std::lock_guard lock(mutex_);
  if (lines == 0) return;
  std::vector<Cell> fresh(cells_.size(), Cell{' ', fg_, bg_});
  for (int y = 0; y < height_; y++) {
    int from = y + lines;
    if (from < 0 || from >= height_) continue;
    std::copy_n(cells_.begin() + from * width_, width_, fresh.begin() + y * width_);
  }
  cells_ = std::move(fresh);
  for (int y = 0; y < height_; y++) touch(y);
}

void Terminal::set_cursor(int x, int y) {
  std::lock_guard lock(mutex_);
  cursor_x_ = x;
  cursor_y_ = y;
  changed_ = true;
}

void Terminal::set_cursor_blink(bool on) {
  std::lock_guard lock(mutex_);
  cursor_blink_ = on;
  changed_ = true;
}

void Terminal::set_palette(int index, std::uint32_t rgb) {
  std::lock_guard lock(mutex_);
  palette_[index & 15] = rgb & 0xFFFFFF;
  palette_dirty_ = true;
  changed_ = true;
}

std::string Terminal::row_text(int y) const {
  std::string s;
  for (int x = 0; x < width_; x++) s += static_cast<char>(at(x, y).ch);
  return s;
}

void Terminal::clear_dirty() {
  std::lock_guard lock(mutex_);
  std::fill(dirty_.begin(), dirty_.end(), false);
  palette_dirty_ = false;
  changed_ = false;
}

void Terminal::newline() {
  if (cursor_y_ + 1 <= height_) {
    set_cursor(1, cursor_y_ + 1);
  } else {
    scroll(1);
    set_cursor(1, height_);
  }
}

// The bios write(): words that don't fit go to the next line, longer words
// are broken, "\n" starts a new line, and the screen scrolls at the bottom.
int Terminal::write_wrapped(std::string_view text) {
  std::lock_guard lock(mutex_);
  int lines = 0;
  if (cursor_y_ > height_) {  // a cursor below the screen scrolls it first
    scroll(cursor_y_ - height_);
    set_cursor(cursor_x_, height_);
  }
  while (!text.empty()) {
    if (text[0] == '\n') {
      newline();
      lines++;
      text.remove_prefix(1);
      continue;
    }
    if (text[0] == ' ' || text[0] == '\t') {
      std::size_t n = text.find_first_not_of(" \t");
      if (n == std::string_view::npos) n = text.size();
      write(std::string(n, ' '));
      text.remove_prefix(n);
      continue;
    }
    std::size_t n = text.find_first_of(" \t\n");
    if (n == std::string_view::npos) n = text.size();
    std::string_view word = text.substr(0, n);
    if (cursor_x_ + static_cast<int>(word.size()) - 1 > width_) {
      if (cursor_x_ > 1) {
        newline();
        lines++;
      }
      while (static_cast<int>(word.size()) > width_) {  // a word longer than a line
        write(word.substr(0, static_cast<std::size_t>(width_)));
        word.remove_prefix(static_cast<std::size_t>(width_));
        newline();
        lines++;
      }
    }
    write(word);
    text.remove_prefix(n);
  }
  return lines;
}

}  // namespace moonbox
