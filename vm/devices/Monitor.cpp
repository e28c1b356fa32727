#include "vm/devices/Monitor.h"

#include <cmath>
#include <vector>

#include "vm/Computer.h"
#include "vm/lib/Binding.h"
#include "vm/lib/Sandbox.h"

namespace moonbox {

namespace {

int size_at(int base, int halves) { return std::max(1, static_cast<int>(std::lround(base * 2.0 / halves))); }

int monitor_setTextScale(lua_State* L) {
  lua_Number scale = check_number(L, 1);
  // CC takes the scale in steps of 0.5, rounding down.
  lua_Number halves = std::floor(scale * 2);
  if (!(halves >= 1 && halves <= 10)) cc_error(L, "Expected number in range 0.5-5");
  Peripheral::called_as<Monitor>(L).set_half_scale(static_cast<int>(halves));
  return 0;
}

int monitor_getTextScale(lua_State* L) {
  lua_pushnumber(L, Peripheral::called_as<Monitor>(L).half_scale() / 2.0);
  return 1;
}

// term's methods, then the monitor's own.
const luaL_Reg* monitor_methods() {
  static const std::vector<luaL_Reg> methods = [] {
    std::vector<luaL_Reg> out;
    for (const luaL_Reg* f = terminal_methods(); f->name; f++) out.push_back(*f);
    out.push_back({"setTextScale", monitor_setTextScale});
    out.push_back({"getTextScale", monitor_getTextScale});
    out.push_back({nullptr, nullptr});
    return out;
  }();
  return methods.data();
}

}  // namespace

const luaL_Reg* Monitor::methods() const { return monitor_methods(); }

Terminal* Monitor::terminal() {
  return computer().kernel().is_device_terminal(terminal_id_) ? computer().virtual_terminal(terminal_id_) : nullptr;
}

void Monitor::attached() {
  terminal_id_ = computer().kernel().open_device_terminal(size_at(kBaseWidth, half_scale_), size_at(kBaseHeight, half_scale_));
}

void Monitor::detaching() { computer().kernel().close_device_terminal(terminal_id_); }

void Monitor::set_half_scale(int halves) {
  half_scale_ = halves;
  Terminal* t = terminal();
  if (!t) return;
  int w = size_at(kBaseWidth, halves), h = size_at(kBaseHeight, halves);
  if (w == t->width() && h == t->height()) return;
  t->resize(w, h);
  post_event("monitor_resize");
}

void Monitor::touch(int x, int y) { post_event("monitor_touch", {x, y}); }

}  // namespace moonbox
