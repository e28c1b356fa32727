#include "vm/lua/ChunkCache.h"

#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>

#include <lua.hpp>

#include "vm/lua/Dialect.h"

namespace moonbox {

namespace {

struct Compiled {
  std::string source;    // the text it was made from
  std::string bytecode;  // with its debug information: errors and tracebacks are the text's
};

// A program can name a chunk "/rom/..." itself (process.startString), so
// the cache is bounded: past these, chunks are compiled as before.
constexpr std::size_t kMaxChunks = 1024;
constexpr std::size_t kMaxBytes = 32u << 20;

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const Compiled>> chunks;
  std::size_t bytes = 0;
};

Cache& cache() {
  static Cache c;
  return c;
}

std::shared_ptr<const Compiled> find(const char* chunkname, std::string_view source) {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  auto it = c.chunks.find(chunkname);
  if (it == c.chunks.end() || it->second->source != source) return nullptr;
  return it->second;
}

void keep(const char* chunkname, std::shared_ptr<const Compiled> compiled) {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  std::size_t size = compiled->source.size() + compiled->bytecode.size();
  auto it = c.chunks.find(chunkname);
  if (it != c.chunks.end()) {  // the file changed: the new text replaces the old
    c.bytes -= it->second->source.size() + it->second->bytecode.size();
    c.chunks.erase(it);
  }
  if (c.chunks.size() >= kMaxChunks || c.bytes + size > kMaxBytes) return;
  c.bytes += size;
  c.chunks.emplace(chunkname, std::move(compiled));
}

// The function on top of L (just compiled from source), kept as bytecode.
void remember(lua_State* L, const char* chunkname, std::string_view source) {
  try {
    auto compiled = std::make_shared<Compiled>();
    if (lua_dump(L, append_to_string, &compiled->bytecode, 0) != 0) return;
    compiled->source.assign(source);
    keep(chunkname, std::move(compiled));
  } catch (const std::bad_alloc&) {
    // Not kept: the next load compiles again.
  }
}

}  // namespace

int append_to_string(lua_State*, const void* p, std::size_t size, void* ud) {
  try {
    static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
    return 0;
  } catch (const std::bad_alloc&) {
    return 1;
  }
}

int load_rom_chunk(lua_State* L, std::string_view source, const char* chunkname) {
  if (std::strncmp(chunkname, "@/rom/", 6) != 0) return load_cc_chunk(L, source, chunkname, "t");
  std::shared_ptr<const Compiled> compiled;
  try {
    compiled = find(chunkname, source);
  } catch (const std::bad_alloc&) {
  }
  if (compiled)
    return luaL_loadbufferx(L, compiled->bytecode.data(), compiled->bytecode.size(), chunkname, "b");
  int status = load_cc_chunk(L, source, chunkname, "t");
  if (status == LUA_OK) remember(L, chunkname, source);
  return status;
}

std::size_t cached_rom_chunks() {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.chunks.size();
}

}  // namespace moonbox
