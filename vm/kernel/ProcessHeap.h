// ProcessHeap: where a process's small Lua objects live.
//
// Why not plain malloc: a process's state is a few hundred small objects
// (strings, tables, closures, upvalues). glibc adds a header to each and
// rounds it to 16 bytes (a quarter of an idle process's memory), and closing
// a state frees them one by one into glibc's fast bins, which the next state's
// first large request then consolidates (40% of a spawn's time).
//
// Lua tells the allocator the size of every block it frees or resizes, so a
// block needs no header: blocks of up to kMaxSmall bytes are carved, rounded
// to 8, from 2 KiB chunks that belong to this one process, and a freed block
// goes on the free list of its size class. Closing the state hands whole
// chunks back to a shared pool, which the next process takes them from.
// Larger blocks (the stack, hash parts of big tables, strings) use malloc.
//
// One thread at a time uses a heap (the one that runs or closes its
// process), so it takes no lock; the pool behind it does.
#pragma once

#include <cstddef>

namespace moonbox {

class ProcessHeap {
 public:
  static constexpr std::size_t kMaxSmall = 256;  // larger blocks use malloc
  static constexpr std::size_t kChunkSize = 2048;

  ProcessHeap() = default;
  ~ProcessHeap() { release(); }
  ProcessHeap(const ProcessHeap&) = delete;
  ProcessHeap& operator=(const ProcessHeap&) = delete;

  // The three operations of a lua_Alloc; sizes are those Lua passes (the
  // size a block was allocated with). Each returns nullptr when the host is
  // out of memory; deallocate and shrinking never fail.
  void* allocate(std::size_t size);
  void deallocate(void* block, std::size_t size);
  void* reallocate(void* block, std::size_t old_size, std::size_t new_size);

  // Gives every chunk back to the pool. Every small block dies with it: call
  // after lua_close.
  void release();

  // Bytes of chunks this heap holds (its small blocks, free or not).
  std::size_t chunk_bytes() const { return chunk_count_ * kChunkSize; }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  struct Chunk {
    Chunk* next;
  };
  static constexpr std::size_t kGrain = 8;  // Lua's alignment on 64-bit hosts
  static constexpr std::size_t kClasses = kMaxSmall / kGrain;

  static std::size_t class_of(std::size_t size) { return (size + kGrain - 1) / kGrain - 1; }
  static bool is_small(std::size_t size) { return size <= kMaxSmall; }

  void* allocate_small(std::size_t size);
  void deallocate_small(void* block, std::size_t size);
  void* carve(std::size_t bytes, bool must = false);
  void keep_remnant();

  FreeBlock* free_[kClasses] = {};
  char* bump_ = nullptr;  // the unused end of the newest chunk
  char* end_ = nullptr;
  Chunk* chunks_ = nullptr;
  Chunk* last_chunk_ = nullptr;
  std::size_t chunk_count_ = 0;
};

}  // namespace moonbox
