// ServiceRegistry: service names and the processes that receive them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moonbox {

class ServiceRegistry {
 public:
  // True when pid now owns name (also when it already did); false when
  // another process owns it.
  bool claim(std::string_view name, int pid);
  // Releases name if pid owns it.
  bool release(std::string_view name, int pid);
  // Releases every name pid owns and returns them.
  std::vector<std::string> release_all(int pid);
  std::optional<int> lookup(std::string_view name) const;
  std::vector<std::string> names_of(int pid) const;
  std::size_t count_of(int pid) const;
  const std::map<std::string, int, std::less<>>& all() const { return owners_; }

 private:
  std::map<std::string, int, std::less<>> owners_;
};

}  // namespace moonbox
