#include "vm/Peripheral.h"

#include <charconv>

#include "vm/Computer.h"
#include "vm/World.h"
#include "vm/devices/ComputerPeripheral.h"
#include "vm/devices/Drive.h"
#include "vm/devices/Modem.h"
#include "vm/devices/Monitor.h"
#include "vm/devices/Printer.h"
#include "vm/devices/Speaker.h"
#include "vm/lib/Binding.h"

namespace moonbox {

Peripheral& Peripheral::called(lua_State* L) {
  Peripheral* p = current_process(L).calling_peripheral();
  if (!p) luaL_error(L, "no peripheral method is running");
  if (!p->is_attached()) cc_error(L, "No peripheral attached");
  return *p;
}

void Peripheral::post_event(const char* event, std::initializer_list<int> values) {
  std::string payload;
  MessageWriter w(payload);
  w.string(name_);
  for (int v : values) w.integer(v);
  w.finish();
  computer_->post_to_all(event, payload);
}

const std::vector<std::string_view>& peripheral_types() {
  static const std::vector<std::string_view> types = {"computer", "drive", "modem", "monitor", "printer", "speaker"};
  return types;
}

std::unique_ptr<Peripheral> make_peripheral(Computer& c, std::string_view type, std::string_view argument,
                                            std::string* why) {
  if (type == "monitor") return std::make_unique<Monitor>();
  if (type == "printer") return std::make_unique<Printer>();
  if (type == "speaker") return std::make_unique<Speaker>();
  if (type == "drive") return std::make_unique<Drive>();
  if (type == "modem") {
    if (argument.empty() || argument == "wireless") return std::make_unique<Modem>(true);
    if (argument == "wired") return std::make_unique<Modem>(false);
    *why = "a modem is \"wireless\" or \"wired\"";
    return nullptr;
  }
  if (type == "computer") {
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
    c.world()->turn_on(id);
    return std::make_unique<ComputerPeripheral>(id);
  }
  *why = "no such peripheral type";
  return nullptr;
}

}  // namespace moonbox
