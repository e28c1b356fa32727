#include "vm/machine/devices/Printer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"

namespace moonbox {

namespace fs = std::filesystem;

bool Printer::new_page() {
  if (printing_ && !end_page()) return false;
  if (ink_ <= 0 || paper_ <= 0) return false;
  // As a CC printer whose output tray is full: no new page. The tray is
  // the computer's printouts directory, kept to kMaxPrintouts pages.
  if (next_number() > static_cast<int>(defaults::kMaxPrintouts)) return false;
  ink_--;
  paper_--;
  printing_ = true;
  rows_.assign(kHeight, std::string(kWidth, ' '));
  title_.clear();
  cursor_x_ = cursor_y_ = 1;
  return true;
}

fs::path Printer::tray() const { return computer().shared_dir() / "printouts" / std::to_string(computer().id()); }

// The number the next page gets: one past the highest in the tray, read
// from the directory once and counted on from there (a search for a free
// name at every page was quadratic).
int Printer::next_number() {
  if (next_number_ > 0) return next_number_;
  int highest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tray(), ec)) {
    const std::string stem = entry.path().stem().string();
    int n = 0;
    auto [end, err] = std::from_chars(stem.data(), stem.data() + stem.size(), n);
    if (err == std::errc() && end == stem.data() + stem.size()) highest = std::max(highest, n);
  }
  next_number_ = highest + 1;
  return next_number_;
}

void Printer::write(std::string_view text) {
  if (cursor_y_ >= 1 && cursor_y_ <= kHeight) {
    std::string& row = rows_[static_cast<std::size_t>(cursor_y_ - 1)];
    for (std::size_t i = 0; i < text.size(); i++) {
      long x = cursor_x_ - 1 + static_cast<long>(i);
      if (x >= 0 && x < kWidth) row[static_cast<std::size_t>(x)] = text[i];
    }
  }
  cursor_x_ += static_cast<int>(std::min<std::size_t>(text.size(), 1u << 20));
}

// The page goes to the output tray: printouts/<computer>/<n>[ - title].txt,
// and the .png beside it when the host draws pages.
bool Printer::end_page() {
  if (!printing_) return false;
  printing_ = false;
  printed_++;
  fs::path dir = tray();
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Another printer of this computer may have taken numbers meanwhile.
  std::string stem;
  do {
    char number[16];
    std::snprintf(number, sizeof number, "%04d", next_number());
    next_number_++;
    stem = number;
  } while (fs::exists(dir / (stem + ".txt"), ec));
  std::ofstream out(dir / (stem + ".txt"), std::ios::binary | std::ios::trunc);
  if (!title_.empty()) out << title_ << "\n\n";
  for (const std::string& row : rows_) out << row.substr(0, row.find_last_not_of(' ') + 1) << '\n';
  out.close();
  if (World* w = computer().world(); w && w->render_page)
    w->render_page(PrintedPage{computer().id(), title_, rows_, dir / (stem + ".png")});
  rows_.clear();
  return true;
}

// ---------------------------------------------------------------- methods

namespace {
const bool kPrinterRegistered = register_peripheral_type("printer", [](Computer&, std::string_view, std::string*) -> std::unique_ptr<Peripheral> {
  return std::make_unique<Printer>();
});
}  // namespace

}  // namespace moonbox
