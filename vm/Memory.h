// MemoryAccount: the counting allocator behind every process's lua_State.
//
// One quota covers a process's Lua heap and the bytes of the messages queued
// for it: at all times heap + queued <= limit. The mailbox is the one source
// of the queued byte count; the account reads it through `queued`.
#pragma once

#include <cstddef>

namespace moonbox {

struct MemoryAccount {
  std::size_t used = 0;   // bytes of Lua heap
  std::size_t peak = 0;
  std::size_t limit = 0;  // set when the process is created
  const std::size_t* queued = nullptr;  // the mailbox's byte count
  std::size_t failures = 0;  // allocations refused by the quota

  std::size_t queued_bytes() const { return queued ? *queued : 0; }
  // True when `extra` more bytes (of heap or queue) still fit the quota.
  bool fits(std::size_t extra) const { return used + queued_bytes() + extra <= limit; }

  // The lua_Alloc for lua_newstate; ud is a MemoryAccount*.
  static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);
};

}  // namespace moonbox
