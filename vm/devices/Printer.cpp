#include "vm/devices/Printer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "vm/Computer.h"
#include "vm/World.h"
#include "vm/lib/Binding.h"

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

Printer& printer(lua_State* L) { return Peripheral::called_as<Printer>(L); }

Printer& page(lua_State* L) {
  Printer& p = printer(L);
  if (!p.printing()) cc_error(L, "Page not started");
  return p;
}

int write(lua_State* L) {
  std::size_t len = 0;
  const char* text = "";
  if (!lua_isnoneornil(L, 1)) {
    if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) type_error(L, 1, "string");
    text = lua_tolstring(L, 1, &len);
  }
  page(L).write({text, len});
  return 0;
}

int whole(lua_State* L, int arg) {
  lua_Number n = check_number(L, arg);
  if (!std::isfinite(n)) arg_error(L, arg, "number expected, got non-finite");
  return static_cast<int>(std::max(-1e9, std::min(1e9, std::floor(n))));
}

int setCursorPos(lua_State* L) {
  int x = whole(L, 1), y = whole(L, 2);
  page(L).set_cursor(x, y);
  return 0;
}

int getCursorPos(lua_State* L) {
  Printer& p = page(L);
  lua_pushinteger(L, p.cursor_x());
  lua_pushinteger(L, p.cursor_y());
  return 2;
}

int getPageSize(lua_State* L) {
  page(L);
  lua_pushinteger(L, Printer::kWidth);
  lua_pushinteger(L, Printer::kHeight);
  return 2;
}

int newPage(lua_State* L) {
  lua_pushboolean(L, printer(L).new_page());
  return 1;
}

int endPage(lua_State* L) {
  lua_pushboolean(L, page(L).end_page());
  return 1;
}

void keep_title(Printer& p, const char* title, std::size_t len) { p.set_title(std::string(title, len)); }

int setPageTitle(lua_State* L) {
  std::size_t len = 0;
  const char* title = lua_isnoneornil(L, 1) ? "" : check_string(L, 1, &len);
  keep_title(page(L), title, std::min<std::size_t>(len, 64));
  return 0;
}

int getInkLevel(lua_State* L) {
  lua_pushinteger(L, printer(L).ink());
  return 1;
}

int getPaperLevel(lua_State* L) {
  lua_pushinteger(L, printer(L).paper());
  return 1;
}

const luaL_Reg kMethods[] = {
    {"write", write},
    {"setCursorPos", setCursorPos},
    {"getCursorPos", getCursorPos},
    {"getPageSize", getPageSize},
    {"newPage", newPage},
    {"endPage", endPage},
    {"setPageTitle", setPageTitle},
    {"getInkLevel", getInkLevel},
    {"getPaperLevel", getPaperLevel},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* Printer::methods() const { return kMethods; }

}  // namespace moonbox
