#include "vm/machine/Redstone.h"

#include <cctype>

namespace moonbox {

const std::array<std::string_view, Redstone::kSides> Redstone::kNames = {"bottom", "top", "back", "front", "right", "left"};

int Redstone::side(std::string_view name) {
  for (int i = 0; i < kSides; i++) {
    std::string_view n = kNames[static_cast<std::size_t>(i)];
    if (n.size() != name.size()) continue;
    bool same = true;
    for (std::size_t j = 0; j < n.size() && same; j++)
      same = std::tolower(static_cast<unsigned char>(name[j])) == n[j];
    if (same) return i;
  }
  return -1;
}

}  // namespace moonbox
