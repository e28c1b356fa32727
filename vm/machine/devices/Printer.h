// Printer: CC's printer. One page (25x21 characters) is in memory at a
// time; a finished page is saved under the world's printouts/<computer>/ as
// text, and as PNG when the host can draw it (World::render_page).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "vm/machine/Peripheral.h"

namespace moonbox {

class Printer final : public Peripheral {
 public:
  static constexpr int kWidth = 25, kHeight = 21;  // CC's page
  static constexpr int kMaxInk = 64, kMaxPaper = 384;

  std::string_view type() const override { return "printer"; }

  bool printing() const { return printing_; }
  // CC's startNewPage: ends a page in progress, then needs ink and paper.
  bool new_page();
  bool end_page();
  void write(std::string_view text);
  void set_cursor(int x, int y) { cursor_x_ = x; cursor_y_ = y; }
  int cursor_x() const { return cursor_x_; }
  int cursor_y() const { return cursor_y_; }
  void set_title(std::string title) { title_ = std::move(title); }
  int ink() const { return ink_; }
  int paper() const { return paper_; }
  int pages_printed() const { return printed_; }

 private:
  std::filesystem::path tray() const;
  int next_number();

  bool printing_ = false;
  std::vector<std::string> rows_;
  std::string title_;
  int cursor_x_ = 1, cursor_y_ = 1;
  // An emulated printer starts with a full ink cartridge and paper tray;
  // detach and attach it again to refill.
  int ink_ = kMaxInk, paper_ = kMaxPaper;
  int printed_ = 0;
  int next_number_ = 0;  // 0: not read from the tray yet
};

}  // namespace moonbox
