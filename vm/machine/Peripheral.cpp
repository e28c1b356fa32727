#include "vm/machine/Peripheral.h"

#include <map>

#include "vm/machine/Computer.h"

namespace moonbox {

void Peripheral::post_event(const char* event, std::initializer_list<int> values) {
  std::string payload;
  MessageWriter w(payload);
  w.string(name_);
  for (int v : values) w.integer(v);
  w.finish();
  computer_->post_to_all(event, payload);
}

namespace {

// Filled before main runs, by the devices' registrars; only read after.
std::map<std::string, PeripheralFactory, std::less<>>& registry() {
  static std::map<std::string, PeripheralFactory, std::less<>> types;
  return types;
}

}  // namespace

bool register_peripheral_type(std::string_view type, PeripheralFactory make) {
  registry().emplace(std::string(type), make);
  return true;
}

std::vector<std::string_view> peripheral_types() {
  std::vector<std::string_view> types;
  for (const auto& [name, make] : registry()) types.push_back(name);
  return types;
}

std::unique_ptr<Peripheral> make_peripheral(Computer& c, std::string_view type, std::string_view argument,
                                            std::string* why) {
  auto it = registry().find(type);
  if (it == registry().end()) {
    *why = "no such peripheral type";
    return nullptr;
  }
  return it->second(c, argument, why);
}

}  // namespace moonbox
