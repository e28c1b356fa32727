#include "vm/lua/DeviceFaces.h"

#include <map>
#include <string>

#include "vm/lua/Binding.h"

namespace moonbox {

namespace {

// Filled before main runs, by the faces' registrars; only read after.
std::map<std::string, DeviceFace, std::less<>>& faces() {
  static std::map<std::string, DeviceFace, std::less<>> table;
  return table;
}

}  // namespace

bool register_device_face(std::string_view type, DeviceFace face) {
  faces().emplace(std::string(type), face);
  return true;
}

const luaL_Reg* device_methods(const Peripheral& device) {
  auto it = faces().find(device.type());
  return it == faces().end() ? nullptr : it->second(device);
}

Peripheral* calling_device(lua_State* L) { return static_cast<Peripheral*>(current_process(L).calling_device()); }

Peripheral& called_device(lua_State* L) {
  Peripheral* p = calling_device(L);
  if (!p) luaL_error(L, "no peripheral method is running");
  if (!p->is_attached()) cc_error(L, "No peripheral attached");
  return *p;
}

}  // namespace moonbox
