#include "vm/kernel/ProcessHeap.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// Free blocks and unused chunk space are poisoned, so AddressSanitizer still
// sees a use after free inside a process's heap.
#define MOONBOX_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define MOONBOX_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define MOONBOX_POISON(p, n) ((void)(p), (void)(n))
#define MOONBOX_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace moonbox {

namespace {

// The chunks no process holds, shared by every heap in the host. It keeps up
// to kKeep of them for the next processes and gives the rest back to malloc,
// so a host whose processes have ended shrinks again.
class ChunkPool {
 public:
  static constexpr std::size_t kKeep = 4096;  // 8 MiB
  static constexpr std::size_t kReserve = 16;  // for shrinking when malloc fails

  static ChunkPool& instance() {
    static ChunkPool pool;
    return pool;
  }

  // A chunk, or nullptr when the host is out of memory. `must` is for a
  // shrinking reallocation, which Lua assumes never fails: it may take the
  // reserve.
  void* take(bool must) {
    {
      std::lock_guard<std::mutex> hold(mutex_);
      if (free_) return pop(free_, free_count_);
    }
    if (void* c = std::malloc(ProcessHeap::kChunkSize)) return c;
    std::lock_guard<std::mutex> hold(mutex_);
    return must && reserve_ ? pop(reserve_, reserve_count_) : nullptr;
  }

  // Takes back a list of n chunks linked through their first word.
  void give(void* first, void* last, std::size_t n) {
    std::unique_lock<std::mutex> hold(mutex_);
    link(last) = free_;
    free_ = first;
    free_count_ += n;
    void* extra = nullptr;
    while (free_count_ > kKeep) {
      void* c = pop(free_, free_count_);
      link(c) = extra;
      extra = c;
    }
    hold.unlock();
    while (extra) {
      void* next = link(extra);
      std::free(extra);
      extra = next;
    }
  }

 private:
  ChunkPool() {
    for (std::size_t i = 0; i < kReserve; i++) {
      void* c = std::malloc(ProcessHeap::kChunkSize);
      if (!c) break;
      link(c) = reserve_;
      reserve_ = c;
      reserve_count_++;
    }
  }

  static void*& link(void* chunk) { return *static_cast<void**>(chunk); }
  static void* pop(void*& list, std::size_t& count) {
    void* c = list;
    MOONBOX_UNPOISON(c, ProcessHeap::kChunkSize);
    list = link(c);
    count--;
    return c;
  }

  std::mutex mutex_;
  void* free_ = nullptr;
  std::size_t free_count_ = 0;
  void* reserve_ = nullptr;
  std::size_t reserve_count_ = 0;
};

}  // namespace

void* ProcessHeap::allocate(std::size_t size) {
  return is_small(size) ? allocate_small(size) : std::malloc(size);
}

void ProcessHeap::deallocate(void* block, std::size_t size) {
  if (!block) return;  // Lua frees empty arrays, which it never allocated
  if (is_small(size)) deallocate_small(block, size);
  else std::free(block);
}

void* ProcessHeap::reallocate(void* block, std::size_t old_size, std::size_t new_size) {
  if (!is_small(old_size) && !is_small(new_size)) return std::realloc(block, new_size);
  if (is_small(old_size) && is_small(new_size) && class_of(old_size) == class_of(new_size)) return block;
  bool shrinking = new_size < old_size;
  void* moved = allocate(new_size);
  if (!moved) {
    // Lua assumes a shrink never fails. A small block serves as a smaller
    // one (it goes back to the list of the smaller class later, a few bytes
    // lost until the process ends); a large one needs a chunk: the reserve.
    if (!shrinking) return nullptr;
    if (is_small(old_size)) return block;
    moved = carve((class_of(new_size) + 1) * kGrain, true);
    if (!moved) std::abort();  // the reserve is gone too: the host is out of memory
  }
  std::memcpy(moved, block, old_size < new_size ? old_size : new_size);
  deallocate(block, old_size);
  return moved;
}

void* ProcessHeap::allocate_small(std::size_t size) {
  std::size_t c = class_of(size);
  if (FreeBlock* b = free_[c]) {
    MOONBOX_UNPOISON(b, (c + 1) * kGrain);
    free_[c] = b->next;
    return b;
  }
  return carve((c + 1) * kGrain);
}

void ProcessHeap::deallocate_small(void* block, std::size_t size) {
  std::size_t c = class_of(size);
  auto* b = static_cast<FreeBlock*>(block);
  b->next = free_[c];
  free_[c] = b;
  MOONBOX_POISON(reinterpret_cast<char*>(b) + sizeof(FreeBlock), (c + 1) * kGrain - sizeof(FreeBlock));
}

// Cuts `bytes` (a multiple of kGrain) from the newest chunk, starting a new
// chunk when it has too little left. `must`: see ChunkPool::take.
void* ProcessHeap::carve(std::size_t bytes, bool must) {
  if (static_cast<std::size_t>(end_ - bump_) < bytes) {
    void* raw = ChunkPool::instance().take(must);
    if (!raw) return nullptr;
    keep_remnant();
    auto* chunk = static_cast<Chunk*>(raw);
    chunk->next = nullptr;
    if (last_chunk_) last_chunk_->next = chunk;
    else chunks_ = chunk;
    last_chunk_ = chunk;
    chunk_count_++;
    bump_ = static_cast<char*>(raw) + sizeof(Chunk);
    end_ = static_cast<char*>(raw) + kChunkSize;
    MOONBOX_POISON(bump_, end_ - bump_);
  }
  void* block = bump_;
  bump_ += bytes;
  MOONBOX_UNPOISON(block, bytes);
  return block;
}

// The end of a chunk too short for the block that started a new one becomes
// a free block of its own size (always a class: it is shorter than kMaxSmall).
void ProcessHeap::keep_remnant() {
  std::size_t left = static_cast<std::size_t>(end_ - bump_);
  if (left >= kGrain) {
    MOONBOX_UNPOISON(bump_, sizeof(FreeBlock));
    deallocate_small(bump_, left);
  }
  bump_ = end_ = nullptr;
}

void ProcessHeap::release() {
  if (!chunks_) return;
  for (Chunk* c = chunks_; c; c = c->next) MOONBOX_POISON(reinterpret_cast<char*>(c) + sizeof(Chunk), kChunkSize - sizeof(Chunk));
  ChunkPool::instance().give(chunks_, last_chunk_, chunk_count_);
  chunks_ = last_chunk_ = nullptr;
  chunk_count_ = 0;
  bump_ = end_ = nullptr;
  for (FreeBlock*& f : free_) f = nullptr;
}

}  // namespace moonbox
