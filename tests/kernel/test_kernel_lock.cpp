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
