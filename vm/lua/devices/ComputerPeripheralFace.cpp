// ComputerPeripheral's Lua face: its methods, as CC's, over the model in vm/machine/devices/ComputerPeripheral.h.
#include "vm/machine/devices/ComputerPeripheral.h"

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"
#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"

namespace moonbox {

namespace {

ComputerPeripheral& self(lua_State* L) { return called_device_as<ComputerPeripheral>(L); }

// Every computer peripheral belongs to a computer of a world (make_peripheral
// refuses the type otherwise).
World& world_of(ComputerPeripheral& p) { return *p.computer().world(); }

int turnOn(lua_State* L) {
  ComputerPeripheral& p = self(L);
  world_of(p).turn_on(p.target());
  return 0;
}

int shutdown(lua_State* L) {
  ComputerPeripheral& p = self(L);
  world_of(p).request_shutdown(p.target());
  return 0;
}

// Reboots it, or turns it on when it is off (as CC's).
int reboot(lua_State* L) {
  ComputerPeripheral& p = self(L);
  world_of(p).request_reboot(p.target());
  return 0;
}

int getID(lua_State* L) {
  lua_pushinteger(L, self(L).target());
  return 1;
}

int isOn(lua_State* L) {
  ComputerPeripheral& p = self(L);
  lua_pushboolean(L, world_of(p).is_on(p.target()));
  return 1;
}

int getLabel(lua_State* L) {
  ComputerPeripheral& p = self(L);
  return push_optional_string(L, world_of(p).label(p.target()));
}

const luaL_Reg kComputerPeripheralMethods[] = {
    {"turnOn", turnOn}, {"shutdown", shutdown}, {"reboot", reboot},     {"getID", getID},
    {"isOn", isOn},     {"getLabel", getLabel}, {nullptr, nullptr},
};

}  // namespace

const bool kComputerPeripheralFaceRegistered =
    register_device_face("computer", [](const Peripheral&) { return kComputerPeripheralMethods; });

}  // namespace moonbox
