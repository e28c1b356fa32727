// MemoryAccount: the counting allocator behind every process's lua_State.
#pragma once

#include <cstddef>

namespace moonbox {

struct MemoryAccount {
  std::size_t used = 0;
  std::size_t peak = 0;
  std::size_t limit = 16u << 20;
  // Bytes queued for this process in its mailbox; they count against the
  // same quota so that a flood of messages cannot grow the host unbounded.
  std::size_t queued = 0;
  std::size_t failures = 0;  // allocations refused by the quota

  // The lua_Alloc for lua_newstate; ud is a MemoryAccount*.
  static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);
};

}  // namespace moonbox
