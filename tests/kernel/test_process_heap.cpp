// ProcessHeap: headerless blocks in per-process chunks, a shared chunk pool.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <lua.hpp>

#include "vm/kernel/Memory.h"
#include "vm/kernel/ProcessHeap.h"

using namespace moonbox;

namespace {
// Fills a block with a pattern drawn from its id, and checks it back.
void fill(void* p, std::size_t n, unsigned id) { std::memset(p, static_cast<int>(id & 0xff), n); }
bool holds(const void* p, std::size_t n, unsigned id) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; i++)
    if (b[i] != (id & 0xff)) return false;
  return true;
}
}  // namespace

TEST_CASE("a freed small block is given again to the next block of its size class") {
  ProcessHeap heap;
  void* a = heap.allocate(40);
  void* b = heap.allocate(40);
  CHECK(a != b);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % 8 == 0);
  heap.deallocate(a, 40);
  CHECK(heap.allocate(33) == a);  // 33 rounds to 40: the same class
  CHECK(heap.allocate(40) != a);
  CHECK(heap.chunk_bytes() == ProcessHeap::kChunkSize);
}

TEST_CASE("resizing keeps the contents across small and large blocks") {
  ProcessHeap heap;
  void* p = heap.allocate(20);
  fill(p, 20, 7);
  CHECK(heap.reallocate(p, 20, 24) == p);  // the same class: nothing moves
  void* big = heap.reallocate(p, 24, 5000);  // to malloc
  REQUIRE(big);
  CHECK(holds(big, 20, 7));
  fill(big, 5000, 9);
  void* small = heap.reallocate(big, 5000, 100);  // back into the heap
  REQUIRE(small);
  CHECK(holds(small, 100, 9));
  heap.deallocate(small, 100);
  heap.deallocate(nullptr, 0);  // Lua frees arrays it never allocated
}

TEST_CASE("the end of a full chunk is kept as a free block, not lost") {
  ProcessHeap heap;
  std::vector<char*> blocks;
  // Chunks hold (kChunkSize - 8) bytes: 200-byte blocks leave a remnant.
  while (heap.chunk_bytes() < 2 * ProcessHeap::kChunkSize) blocks.push_back(static_cast<char*>(heap.allocate(200)));
  char* first_chunk_end = blocks.front() + ProcessHeap::kChunkSize - 8;
  std::size_t remnant = (ProcessHeap::kChunkSize - 8) % 200;
  char* r = static_cast<char*>(heap.allocate(remnant));
  CHECK(r == first_chunk_end - remnant);
  CHECK(heap.chunk_bytes() == 2 * ProcessHeap::kChunkSize);
}

TEST_CASE("released chunks go to the next heap") {
  char* chunk_of_a = nullptr;
  {
    ProcessHeap a;
    chunk_of_a = static_cast<char*>(a.allocate(64));
    a.release();
    CHECK(a.chunk_bytes() == 0);
  }
  ProcessHeap b;
  CHECK(static_cast<char*>(b.allocate(64)) == chunk_of_a);
}

TEST_CASE("random allocations, resizes and frees keep every block's contents") {
  ProcessHeap heap;
  struct Live {
    void* p;
    std::size_t n;
    unsigned id;
  };
  std::vector<Live> live;
  std::mt19937 rng(42);
  unsigned next_id = 1;
  auto size = [&] { return rng() % 4 == 0 ? 1 + rng() % 3000 : 1 + rng() % ProcessHeap::kMaxSmall; };
  for (int step = 0; step < 20000; step++) {
    unsigned op = rng() % 3;
    if (op == 0 || live.empty()) {
      std::size_t n = size();
      void* p = heap.allocate(n);
      REQUIRE(p);
      fill(p, n, next_id);
      live.push_back({p, n, next_id++});
    } else {
      std::size_t i = rng() % live.size();
      Live& l = live[i];
      REQUIRE(holds(l.p, l.n, l.id));
      if (op == 1) {
        std::size_t n = size();
        l.p = heap.reallocate(l.p, l.n, n);
        REQUIRE(l.p);
        REQUIRE(holds(l.p, std::min(l.n, n), l.id));
        l.n = n;
        fill(l.p, n, l.id);
      } else {
        heap.deallocate(l.p, l.n);
        live[i] = live.back();
        live.pop_back();
      }
    }
  }
  for (const Live& l : live) CHECK(holds(l.p, l.n, l.id));
  for (const Live& l : live) heap.deallocate(l.p, l.n);
}

TEST_CASE("a Lua state runs on the heap, and its account counts what Lua asked for") {
  MemoryAccount m;
  m.limit = 1 << 20;
  lua_State* L = lua_newstate(MemoryAccount::allocate, &m);
  REQUIRE(L);
  luaL_openlibs(L);
  REQUIRE(luaL_dostring(L, "local t = {} for i = 1, 2000 do t[i] = tostring(i) .. 'x' end "
                           "return #table.concat(t)") == LUA_OK);
  CHECK(lua_tointeger(L, -1) > 0);
  CHECK(m.used == static_cast<std::size_t>(lua_gc(L, LUA_GCCOUNT, 0)) * 1024 + lua_gc(L, LUA_GCCOUNTB, 0));
  CHECK(m.heap.chunk_bytes() > 0);
  lua_close(L);
  CHECK(m.used == 0);
  m.heap.release();
  CHECK(m.heap.chunk_bytes() == 0);
}
