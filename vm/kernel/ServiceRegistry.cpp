#include "vm/kernel/ServiceRegistry.h"

namespace moonbox {

bool ServiceRegistry::claim(std::string_view name, int pid) {
  auto it = owners_.find(name);
  if (it != owners_.end()) return it->second == pid;
  owners_.emplace(std::string(name), pid);
  return true;
}

bool ServiceRegistry::release(std::string_view name, int pid) {
  auto it = owners_.find(name);
  if (it == owners_.end() || it->second != pid) return false;
  owners_.erase(it);
  return true;
}

std::vector<std::string> ServiceRegistry::release_all(int pid) {
  std::vector<std::string> released;
  for (auto it = owners_.begin(); it != owners_.end();) {
    if (it->second == pid) {
      released.push_back(it->first);
      it = owners_.erase(it);
    } else {
      ++it;
    }
  }
  return released;
}

std::optional<int> ServiceRegistry::lookup(std::string_view name) const {
  auto it = owners_.find(name);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ServiceRegistry::names_of(int pid) const {
  std::vector<std::string> names;
  for (const auto& [name, owner] : owners_)
    if (owner == pid) names.push_back(name);
  return names;
}

std::size_t ServiceRegistry::count_of(int pid) const {
  std::size_t n = 0;
  for (const auto& entry : owners_)
    if (entry.second == pid) n++;
  return n;
}

}  // namespace moonbox
