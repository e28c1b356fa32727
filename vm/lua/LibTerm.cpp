// term (native): the CC terminal API over the kernel's Terminal model.
// It is term.native(); the term programs see forwards to it while nothing
// is redirected (vm/lua/LibTermRedirect.cpp).
#include <cmath>

#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

// The process's terminal; or, while a monitor's method runs (peripheral.call),
// that monitor's screen: the same functions are its methods. Called after
// the arguments are converted; raises if the monitor was detached meanwhile
// (called_device).
Terminal& term(lua_State* L) {
  Process& self = current_process(L);
  if (calling_device(L))
    if (Terminal* screen = called_device(L).terminal()) return *screen;
  return current_computer(L).terminal_of(self);
}

// Job control (stty tostop) is about the process's own terminal only.
bool stop_for_own_output(lua_State* L) { return !calling_device(L) && stop_for_output(L); }

int check_int(lua_State* L, int arg) {
  lua_Number n = check_number(L, arg);
  if (!std::isfinite(n)) arg_error(L, arg, "number must be finite");
  n = std::floor(n);
  if (n < -1e9) return -1000000000;
  if (n > 1e9) return 1000000000;
  return static_cast<int>(n);
}

int check_colour(lua_State* L, int arg) {
  lua_Number n = check_number(L, arg);
  int index = std::isfinite(n) ? colour_to_index(static_cast<long long>(n)) : -1;
  if (index < 0) cc_error(L, "Colour out of range");  // CC's words
  return index;
}

int term_write(lua_State* L);
int term_blit(lua_State* L);
// After SIGTTOU stopped a background writer and it was continued: write.
int term_write_k(lua_State* L, int, lua_KContext) { return term_write(L); }
int term_blit_k(lua_State* L, int, lua_KContext) { return term_blit(L); }

int term_write(lua_State* L) {
  if (stop_for_own_output(L)) return yield_to_kernel<term_write_k>(L);
  std::size_t len;
  const char* s = luaL_tolstring(L, 1, &len);
  term(L).write({s, len});
  return 0;
}

int term_blit(lua_State* L) {
  std::size_t n, nf, nb;
  const char* text = check_string(L, 1, &n);
  const char* fg = check_string(L, 2, &nf);
  const char* bg = check_string(L, 3, &nb);
  if (nf != n || nb != n) cc_error(L, "Arguments must be the same length");
  if (stop_for_own_output(L)) return yield_to_kernel<term_blit_k>(L);
  if (!term(L).blit({text, n}, {fg, nf}, {bg, nb})) return luaL_error(L, "invalid blit colour");
  return 0;
}

int term_clear(lua_State* L) { term(L).clear(); return 0; }
int term_clearLine(lua_State* L) { term(L).clear_line(); return 0; }

int term_scroll(lua_State* L) {
  int n = check_int(L, 1);
  Terminal& t = term(L);
  if (n > t.height() || n < -t.height()) n = n > 0 ? t.height() : -t.height();
  t.scroll(n);
  return 0;
}

int term_getCursorPos(lua_State* L) {
  lua_pushinteger(L, term(L).cursor_x());
  lua_pushinteger(L, term(L).cursor_y());
  return 2;
}

int term_setCursorPos(lua_State* L) {
  int x = check_int(L, 1), y = check_int(L, 2);
  term(L).set_cursor(x, y);
  return 0;
}

int term_getCursorBlink(lua_State* L) {
  lua_pushboolean(L, term(L).cursor_blink());
  return 1;
}

int term_setCursorBlink(lua_State* L) {
  if (!lua_isboolean(L, 1)) type_error(L, 1, "boolean");
  term(L).set_cursor_blink(lua_toboolean(L, 1));
  return 0;
}

int term_getSize(lua_State* L) {
  lua_pushinteger(L, term(L).width());
  lua_pushinteger(L, term(L).height());
  return 2;
}

int term_isColour(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

int term_getTextColour(lua_State* L) {
  lua_pushinteger(L, lua_Integer{1} << term(L).text_colour());
  return 1;
}

int term_setTextColour(lua_State* L) {
  int colour = check_colour(L, 1);
  term(L).set_text_colour(colour);
  return 0;
}

int term_getBackgroundColour(lua_State* L) {
  lua_pushinteger(L, lua_Integer{1} << term(L).background_colour());
  return 1;
}

int term_setBackgroundColour(lua_State* L) {
  int colour = check_colour(L, 1);
  term(L).set_background_colour(colour);
  return 0;
}

int push_rgb(lua_State* L, std::uint32_t rgb) {
  lua_pushnumber(L, ((rgb >> 16) & 0xFF) / 255.0);
  lua_pushnumber(L, ((rgb >> 8) & 0xFF) / 255.0);
  lua_pushnumber(L, (rgb & 0xFF) / 255.0);
  return 3;
}

int term_getPaletteColour(lua_State* L) {
  int index = check_colour(L, 1);
  return push_rgb(L, term(L).palette(index));
}

int term_nativePaletteColour(lua_State* L) {
  int index = check_colour(L, 1);
  current_process(L);
  return push_rgb(L, Terminal::kDefaultPalette[static_cast<std::size_t>(index)]);
}

// setPaletteColour(colour, 0xRRGGBB) or setPaletteColour(colour, r, g, b)
int term_setPaletteColour(lua_State* L) {
  int index = check_colour(L, 1);
  std::uint32_t rgb;
  if (lua_gettop(L) <= 2) {
    lua_Integer hex = check_integer(L, 2);
    if (hex < 0 || hex > 0xFFFFFF) cc_error(L, "Colour out of range");
    rgb = static_cast<std::uint32_t>(hex);
  } else {
    rgb = 0;
    for (int i = 0; i < 3; i++) {
      lua_Number c = check_number(L, 2 + i);
      if (!std::isfinite(c)) arg_error(L, 2 + i, "number expected, got nan");
      c = c < 0 ? 0 : c > 1 ? 1 : c;  // CC clamps each component
      rgb = (rgb << 8) | static_cast<std::uint32_t>(std::lround(c * 255));
    }
  }
  term(L).set_palette(index, rgb);
  return 0;
}

const luaL_Reg term_functions[] = {
    {"write", term_write},
    {"blit", term_blit},
    {"clear", term_clear},
    {"clearLine", term_clearLine},
    {"scroll", term_scroll},
    {"getCursorPos", term_getCursorPos},
    {"setCursorPos", term_setCursorPos},
    {"getCursorBlink", term_getCursorBlink},
    {"setCursorBlink", term_setCursorBlink},
    {"getSize", term_getSize},
    {"isColour", term_isColour},
    {"isColor", term_isColour},
    {"getTextColour", term_getTextColour},
    {"getTextColor", term_getTextColour},
    {"setTextColour", term_setTextColour},
    {"setTextColor", term_setTextColour},
    {"getBackgroundColour", term_getBackgroundColour},
    {"getBackgroundColor", term_getBackgroundColour},
    {"setBackgroundColour", term_setBackgroundColour},
    {"setBackgroundColor", term_setBackgroundColour},
    {"getPaletteColour", term_getPaletteColour},
    {"getPaletteColor", term_getPaletteColour},
    {"setPaletteColour", term_setPaletteColour},
    {"setPaletteColor", term_setPaletteColour},
    {"nativePaletteColour", term_nativePaletteColour},
    {"nativePaletteColor", term_nativePaletteColour},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* terminal_methods() { return term_functions; }

int open_term(lua_State* L) {
  new_cc_module(L, term_functions);
  return 1;
}

}  // namespace moonbox
