// MemoryAccount: the counting allocator behind every process's lua_State.
//
// One quota covers a process's Lua heap and the bytes of the messages queued
// for it: at all times heap + queued <= limit. The mailbox is the one source
// of the queued byte count; the account reads it through `queued`.
#pragma once

#include <atomic>
#include <cstddef>

#include "vm/ProcessHeap.h"

namespace moonbox {

// A count that one thread at a time changes (the owner of the state, or
// whoever holds the kernel lock) and that any thread may read: a relaxed
// atomic, which is a plain load or store on the machines we run on.
class SharedCount {
 public:
  SharedCount(std::size_t v = 0) : v_(v) {}  // NOLINT: a count is a number
  operator std::size_t() const { return v_.load(std::memory_order_relaxed); }  // NOLINT
  SharedCount& operator=(std::size_t v) {
    v_.store(v, std::memory_order_relaxed);
    return *this;
  }
  SharedCount& operator+=(std::size_t d) { return *this = *this + d; }
  SharedCount& operator-=(std::size_t d) { return *this = *this - d; }

 private:
  std::atomic<std::size_t> v_;
};

struct MemoryAccount {
  // Bytes of Lua heap: changed by the process's own allocations, read by
  // senders on other workers (does a message still fit?).
  SharedCount used = 0;
  std::size_t peak = 0;
  SharedCount limit = 0;  // set when the process is created
  const SharedCount* queued = nullptr;  // the mailbox's byte count
  std::size_t failures = 0;  // allocations refused by the quota
  ProcessHeap heap;  // where the blocks come from

  std::size_t queued_bytes() const { return queued ? std::size_t{*queued} : 0; }
  // True when `extra` more bytes (of heap or queue) still fit the quota.
  bool fits(std::size_t extra) const { return used + queued_bytes() + extra <= limit; }

  // The lua_Alloc for lua_newstate; ud is a MemoryAccount*.
  static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);
};

}  // namespace moonbox
