// The kernel clock: monotonic seconds since boot.
#pragma once

#include <chrono>

namespace moonbox {

class Clock {
 public:
  Clock() : boot_(std::chrono::steady_clock::now()) {}
  double now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - boot_).count();
  }

 private:
  std::chrono::steady_clock::time_point boot_;
};

}  // namespace moonbox
