// Printer's Lua face: its methods, as CC's, over the model in vm/machine/devices/Printer.h.
#include "vm/machine/devices/Printer.h"

#include <cmath>

#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"

namespace moonbox {

namespace {

Printer& printer(lua_State* L) { return called_device_as<Printer>(L); }

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

const luaL_Reg kPrinterMethods[] = {
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

const bool kPrinterFaceRegistered = register_device_face("printer", [](const Peripheral&) { return kPrinterMethods; });

}  // namespace moonbox
