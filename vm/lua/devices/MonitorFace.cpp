// Monitor's Lua face: term's methods, then its own (setTextScale,
// getTextScale), as CC's, over the model in vm/machine/devices/Monitor.h.
#include "vm/machine/devices/Monitor.h"

#include <cmath>
#include <vector>

#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

int monitor_setTextScale(lua_State* L) {
  lua_Number scale = check_number(L, 1);
  // CC takes the scale in steps of 0.5, rounding down.
  lua_Number halves = std::floor(scale * 2);
  if (!(halves >= 1 && halves <= 10)) cc_error(L, "Expected number in range 0.5-5");
  called_device_as<Monitor>(L).set_half_scale(static_cast<int>(halves));
  return 0;
}

int monitor_getTextScale(lua_State* L) {
  lua_pushnumber(L, called_device_as<Monitor>(L).half_scale() / 2.0);
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

const bool kMonitorFaceRegistered = register_device_face("monitor", [](const Peripheral&) { return monitor_methods(); });

}  // namespace

}  // namespace moonbox
