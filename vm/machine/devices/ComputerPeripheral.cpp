#include "vm/machine/devices/ComputerPeripheral.h"

#include <charconv>

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"

namespace moonbox {

namespace {

// periphemu.create(id, "computer"): computer `id` of the world, turned on.
std::unique_ptr<Peripheral> make_computer(Computer& c, std::string_view argument, std::string* why) {
  int id = -1;
  if (std::from_chars(argument.data(), argument.data() + argument.size(), id).ec != std::errc() || id < 0) {
    *why = "a computer needs an id";
    return nullptr;
  }
  if (!c.world()) {
    *why = "this computer is alone (no world to start another in)";
    return nullptr;
  }
  if (id == c.id()) {
    *why = "a computer cannot attach itself";
    return nullptr;
  }
  if (!c.world()->is_on(id) && c.world()->ids().size() >= World::kMaxComputers) {
    *why = "too many computers in this world";
    return nullptr;
  }
  // Refused when another moonbox instance of a bridged world holds the id.
  if (!c.world()->is_on(id) && !c.world()->turn_on(id, why)) return nullptr;
  return std::make_unique<ComputerPeripheral>(id);
}

const bool kComputerPeripheralRegistered = register_peripheral_type("computer", make_computer);

}  // namespace

}  // namespace moonbox
