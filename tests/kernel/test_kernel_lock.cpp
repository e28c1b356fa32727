// KernelLock: one thread at a time in a kernel, with and without a pool
// thread's bias (vm/kernel/KernelLock.h). The counters are plain: only the
// lock keeps the threads apart, and ThreadSanitizer checks it in CI.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "vm/kernel/KernelLock.h"

using namespace moonbox;

TEST_CASE("a pool thread alone on the kernel lock gets a bias, and another thread's entry revokes it") {
  KernelLock lock;
  lock.set_enabled(true);
  long counter = 0;
  std::atomic<int> host_entries{0};
  long pool_entries = 0;
  std::thread pool([&] {
    KernelLock::allow_bias();
    std::condition_variable cv;
    while (host_entries.load() < 50) {
      lock.enter();
      counter++;
      if (++pool_entries % 50000 == 0) {
        // A wait gives the lock up (by the mutex, so the bias goes first).
        lock.wait(cv, 0.0001);
        counter++;
      }
      lock.leave();
    }
  });
  for (int i = 0; i < 50; i++) {
    lock.enter();
    counter++;
    lock.leave();
    host_entries++;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  pool.join();
  CHECK(counter == pool_entries + pool_entries / 50000 + 50);
  MESSAGE(lock.revocations() << " revocations in " << pool_entries << " entries of the pool thread");
  if (KernelLock::bias_available()) CHECK(lock.revocations() > 0);
}

TEST_CASE("two pool threads that share the kernel lock keep it exclusive") {
  KernelLock lock;
  lock.set_enabled(true);
  long counter = 0;
  auto work = [&] {
    KernelLock::allow_bias();
    for (int i = 0; i < 100000; i++) {
      lock.enter();
      counter++;
      lock.enter();  // nested, as a binding inside the scheduler's hold
      counter++;
      lock.leave();
      lock.leave();
      if (i % 1000 == 0) std::this_thread::yield();  // the other takes over now and then
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  CHECK(counter == 400000);
}

TEST_CASE("a wait begun under the bias misses no notification sent while it gave the bias up") {
  // The helper's part of a batch: it sees the batch open under the lock,
  // then waits to be told it closed. Held by its bias, the wait must take
  // the mutex first, and the host may get in meanwhile (it was already
  // waiting to revoke the bias), close the batch and notify before the
  // helper waits: the helper must not sleep through that.
  if (!KernelLock::bias_available()) return;
  KernelLock lock;
  lock.set_enabled(true);
  std::condition_variable cv;
  bool open = true;  // under the lock
  std::atomic<bool> inside{false};
  bool slept_through = false;
  std::thread pool([&] {
    KernelLock::allow_bias();
    for (int i = 0; i < 1000; i++) {  // alone: the bias
      lock.enter();
      lock.leave();
    }
    lock.enter();
    inside = true;
    // The host is now on its way into the lock, and waits for this thread.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    while (open)
      if (lock.wait(cv, 5.0)) slept_through = true;
    lock.leave();
  });
  while (!inside) std::this_thread::yield();
  lock.enter();
  open = false;
  cv.notify_all();
  lock.leave();
  pool.join();
  CHECK_FALSE(slept_through);
  CHECK(lock.revocations() > 0);
}
