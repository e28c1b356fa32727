// DiskSpace: what one file system may hold (its capacity) and holds (used),
// in bytes of file content: the computer's own disk, or a floppy. Every
// change through the virtual file system asks it first and tells it after.
// File handles and mounts share it by strong reference, so a handle still
// counts against its floppy after the floppy is ejected.
#pragma once

#include <atomic>
#include <cstdint>

namespace moonbox {

class DiskSpace {
 public:
  explicit DiskSpace(std::uintmax_t capacity, std::uintmax_t used = 0) : capacity_(capacity), used_(used) {}

  std::uintmax_t capacity() const { return capacity_.load(std::memory_order_relaxed); }
  void set_capacity(std::uintmax_t bytes) { capacity_.store(bytes, std::memory_order_relaxed); }
  std::uintmax_t used() const { return used_.load(std::memory_order_relaxed); }
  void set_used(std::uintmax_t bytes) { used_.store(bytes, std::memory_order_relaxed); }
  std::uintmax_t free() const {
    std::uintmax_t c = capacity(), u = used();
    return c > u ? c - u : 0;
  }
  // Whether `grow` more bytes fit.
  bool fits(std::uintmax_t grow) const { return grow <= free(); }
  // After a write, a truncation, a delete or a copy. Used never goes below 0.
  // A floppy may be mounted by two computers, whose kernels run on different
  // workers: the count is atomic.
  void add(std::intmax_t delta) {
    std::uintmax_t now = used_.load(std::memory_order_relaxed), next;
    do {
      next = delta < 0 ? (static_cast<std::uintmax_t>(-delta) > now ? 0 : now - static_cast<std::uintmax_t>(-delta))
                       : now + static_cast<std::uintmax_t>(delta);
    } while (!used_.compare_exchange_weak(now, next, std::memory_order_relaxed));
  }

 private:
  std::atomic<std::uintmax_t> capacity_;
  std::atomic<std::uintmax_t> used_;
};

}  // namespace moonbox
