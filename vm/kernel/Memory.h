// MemoryAccount: the counting allocator behind every process's lua_State.
//
// One quota covers a process's Lua heap and the bytes of the messages queued
// for it: at all times heap + queued <= limit, exactly, also with several
// workers, where a sender queues a message on one core while the process
// allocates on another. Both take their bytes from one count (charge) with
// one atomic step, so together they can never pass the limit.
//
// With several workers that step is a compare-and-swap, and the receiver's
// count bounced between the sender's core and its own on every allocation.
// So while a process's slice runs there, it takes quota in chunks (its
// reserve, which counts as charged) and allocates from what it holds with
// plain loads and stores; the slice's end gives back what is left. Heap plus
// queue still never pass the limit; only a sender may find up to
// 2 * kReserveChunk of a running receiver's room held for it a little
// earlier. Near the limit a chunk shrinks to what the allocation needs, so
// the process itself can still use every byte.
#pragma once

#include <atomic>
#include <cstddef>

#include "vm/kernel/ProcessHeap.h"

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
  // True while several threads may charge at once (the kernel lock's
  // "enabled": several workers); it changes only when no Lua runs.
  const bool* shared = nullptr;
  bool is_shared() const { return shared && *shared; }
  std::size_t failures = 0;  // allocations refused by the quota
  ProcessHeap heap;  // where the blocks come from

  std::size_t queued_bytes() const { return queued ? std::size_t{*queued} : 0; }

  // Takes `extra` more bytes (of heap or queue) if they fit the quota: false,
  // and nothing taken, if they do not. `alone`: the caller knows that no
  // other thread charges this account meanwhile (it holds the kernel lock,
  // and the process's Lua does not run on another worker: Kernel::alone_with).
  bool charge(std::size_t extra, bool alone = false) {
    std::size_t now = charged_.load(std::memory_order_relaxed);
    if (alone || !is_shared()) {  // one thread: a plain load and store
      if (now + extra > limit) return false;
      charged_.store(now + extra, std::memory_order_relaxed);
      return true;
    }
    do {
      if (now + extra > limit) return false;
    } while (!charged_.compare_exchange_weak(now, now + extra, std::memory_order_relaxed));
    return true;
  }
  void discharge(std::size_t n, bool alone = false) {
    if (alone || !is_shared()) charged_.store(charged_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
    else charged_.fetch_sub(n, std::memory_order_relaxed);
  }
  // Heap plus queued bytes, as the quota counts them (plus the reserve
  // while a slice runs).
  std::size_t charged() const { return charged_.load(std::memory_order_relaxed); }

  // The process's slice on a worker begins and ends (the thread that runs it
  // is the only one that touches the reserve).
  void begin_slice() { reserving_ = is_shared(); }
  void end_slice() {
    reserving_ = false;
    if (reserve_ > 0) discharge(reserve_);
    reserve_ = 0;
  }
  static constexpr std::size_t kReserveChunk = 4096;

  // The lua_Alloc for lua_newstate; ud is a MemoryAccount*.
  static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

 private:
  // The allocator's side: heap bytes taken and given back, through the
  // reserve while a slice runs.
  inline bool take(std::size_t n);
  inline void give(std::size_t n);
  std::atomic<std::size_t> charged_{0};
  bool reserving_ = false;
  std::size_t reserve_ = 0;
};

inline bool MemoryAccount::take(std::size_t n) {
  if (reserve_ >= n) {
    reserve_ -= n;
    return true;
  }
  if (!reserving_) return charge(n);
  std::size_t need = n - reserve_;
  if (charge(need + kReserveChunk)) {
    reserve_ = kReserveChunk;
    return true;
  }
  if (!charge(need)) return false;  // near the limit: exactly what it needs
  reserve_ = 0;
  return true;
}

inline void MemoryAccount::give(std::size_t n) {
  if (!reserving_) {
    discharge(n);
    return;
  }
  reserve_ += n;
  if (reserve_ > 2 * kReserveChunk) {
    discharge(reserve_ - kReserveChunk);
    reserve_ = kReserveChunk;
  }
}

}  // namespace moonbox
