// ChunkCache: rom chunks compiled once, and never served for other text.
#include <doctest/doctest.h>

#include <lua.hpp>

#include "tests/support/KernelHarness.h"
#include "vm/lua/ChunkCache.h"

using namespace moonbox;

namespace {

// Loads and calls chunk `source` as `name` in a bare state; its result as a
// string, or the load error.
std::string run_chunk(const char* source, const char* name) {
  lua_State* L = luaL_newstate();
  std::string out;
  if (load_rom_chunk(L, source, name) != LUA_OK) out = "error: " + std::string(lua_tostring(L, -1));
  else if (lua_pcall(L, 0, 1, 0) != LUA_OK) out = "raised: " + std::string(lua_tostring(L, -1));
  else out = luaL_tolstring(L, -1, nullptr);
  lua_close(L);
  return out;
}

}  // namespace

TEST_CASE("a rom chunk is compiled once, and only the same text gets its bytecode") {
  std::size_t before = cached_rom_chunks();
  CHECK(run_chunk("return 1", "@/rom/test/cache_a.lua") == "1");
  CHECK(cached_rom_chunks() == before + 1);
  CHECK(run_chunk("return 1", "@/rom/test/cache_a.lua") == "1");
  CHECK(cached_rom_chunks() == before + 1);  // the same entry served it
  // The file changed on the host: the new text, not the old bytecode.
  CHECK(run_chunk("return 2", "@/rom/test/cache_a.lua") == "2");
  CHECK(run_chunk("return 1", "@/rom/test/cache_a.lua") == "1");
  CHECK(cached_rom_chunks() == before + 1);
  // Errors, positions and local names are the text's, from the cache too.
  for (int i = 0; i < 2; i++)
    CHECK(run_chunk("local x = nil\nreturn x.y", "@/rom/test/cache_b.lua") ==
          "raised: /rom/test/cache_b.lua:2: attempt to index a nil value (local 'x')");
  // A syntax error is not kept; other names are not kept at all.
  CHECK(run_chunk("return +", "@/rom/test/cache_c.lua").starts_with("error: /rom/test/cache_c.lua:1:"));
  CHECK(run_chunk("return 3", "@/home/x.lua") == "3");
  CHECK(run_chunk("return 3", "=/rom/x.lua") == "3");
  CHECK(cached_rom_chunks() == before + 2);
  // CC's dialect still applies (an escape Lua 5.4 rejects).
  CHECK(run_chunk("return '\\q'", "@/rom/test/cache_d.lua") == "q");
  CHECK(run_chunk("return '\\q'", "@/rom/test/cache_d.lua") == "q");
}

TEST_CASE("processes that load the same rom module share one compilation, and see the same function") {
  test::Harness h(false);
  const char* src = R"(
    local p = require("cc.pretty")
    local i = debug.getinfo(p.pretty, "S")
    print(i.short_src, i.linedefined, i.what)
  )";
  int a = h.spawn(src);
  REQUIRE(h.run_until([&] { return h.exited(a); }));
  std::size_t cached = cached_rom_chunks();
  int b = h.spawn(src);
  REQUIRE(h.run_until([&] { return h.exited(b); }));
  CHECK(cached_rom_chunks() == cached);
  CHECK(h.console.printed(std::to_string(a) + ": /rom/modules/main/cc/pretty.lua\t"));
  CHECK(h.console.printed(std::to_string(b) + ": /rom/modules/main/cc/pretty.lua\t"));
  CHECK(h.console.lines.size() == 2);
  CHECK(h.console.lines[0].substr(h.console.lines[0].find(':')) == h.console.lines[1].substr(h.console.lines[1].find(':')));
}
