#include "vm/kernel/Memory.h"

namespace moonbox {

void* MemoryAccount::allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* m = static_cast<MemoryAccount*>(ud);
  // When ptr is NULL, osize encodes the kind of object, not a size.
  std::size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    m->heap.deallocate(ptr, old);
    m->used -= old;
    m->give(old);
    return nullptr;
  }
  // Growing past the quota (heap plus queued messages) fails, so Lua raises
  // "not enough memory" in the process that asked. Shrinking always
  // succeeds (Lua relies on that).
  if (nsize > old && !m->take(nsize - old)) {
    m->failures++;
    return nullptr;
  }
  void* block = ptr ? m->heap.reallocate(ptr, old, nsize) : m->heap.allocate(nsize);
  if (!block) {
    if (nsize > old) m->give(nsize - old);
    return nullptr;
  }
  if (nsize < old) m->give(old - nsize);
  std::size_t used = m->used - old + nsize;
  m->used = used;
  if (used > m->peak) m->peak = used;
  return block;
}

}  // namespace moonbox
