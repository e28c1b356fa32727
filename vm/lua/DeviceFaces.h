// The Lua faces of devices: each device's methods table, registered by the
// device's face file (vm/lua/devices/) under its CC type, over its model in
// vm/machine/devices/. peripheral.call runs a method with the device set as the
// calling process's current device, so a method finds its device with
// called_device(L) and never keeps a pointer to it in the Lua state.
//
// Re-entry: a method's argument conversion can run Lua (__len, __tostring,
// __index), and that Lua may detach or replace the very device. So
// peripheral.call holds a strong reference to the device for the whole call
// (the object outlives its detaching), and called_device(L) raises "No
// peripheral attached" once the device has left its computer. A method
// converts its arguments first and calls called_device(L) after.
#pragma once

#include <string_view>

#include <lua.hpp>

#include "vm/machine/Peripheral.h"

namespace moonbox {

// A device's methods, ending with {nullptr, nullptr}; their argument errors
// are CC's ("bad argument #1 (number expected, got nil)").
using DeviceFace = const luaL_Reg* (*)(const Peripheral& device);
bool register_device_face(std::string_view type, DeviceFace face);
// The methods of `device`, or null when its type has no face.
const luaL_Reg* device_methods(const Peripheral& device);

// The device whose method is running in L's process; raises if none, or if
// it was detached since the method began.
Peripheral& called_device(lua_State* L);
// The same, as a T (the method tables are per type, so the cast holds).
template <class T>
T& called_device_as(lua_State* L) {
  return static_cast<T&>(called_device(L));
}
// The device whose method is running, or null (no error).
Peripheral* calling_device(lua_State* L);

}  // namespace moonbox
