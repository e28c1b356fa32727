#include "vm/lua/Bios.h"

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include <lua.hpp>

#include "vm/lua/ChunkCache.h"
#include "vm/machine/Console.h"

namespace moonbox {

namespace {

using Chunks = std::map<std::string, std::string, std::less<>>;

// Compiles a chunk once, in a scratch state, to bytecode that processes load
// instead of parsing the text again (parsing was most of the cost of a
// spawn). The bytecode is made from the read-only rom; processes themselves
// can still load text chunks only.
std::string compile_chunk(const std::string& source, const std::string& chunkname, Console& errors) {
  lua_State* L = luaL_newstate();
  std::string bytecode;
  if (L && luaL_loadbufferx(L, source.data(), source.size(), chunkname.c_str(), "t") == LUA_OK)
    lua_dump(L, append_to_string, &bytecode, 0);
  else if (L)
    errors.write_error(0, "bios: " + std::string(lua_tostring(L, -1)));
  if (L) lua_close(L);
  return bytecode;
}

// Each file of rom/apis/ (and rom/apis/http/, CC's place for http's Lua
// half) and rom/moonbox/bios/, named by its file.
Chunks compile_rom(const std::filesystem::path& rom, Console& errors) {
  Chunks chunks;
  for (const char* dir : {"apis", "apis/http", "moonbox/bios"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(rom / dir, ec)) {
      if (entry.path().extension() != ".lua") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      if (!in) continue;
      std::ostringstream text;
      text << in.rdbuf();
      std::string name = entry.path().stem().string();
      std::string bytecode = compile_chunk(text.str(), "@/rom/" + std::string(dir) + "/" + name + ".lua", errors);
      if (!bytecode.empty()) chunks[name] = std::move(bytecode);
    }
  }
  return chunks;
}

}  // namespace

const std::string* bios_chunk(const std::filesystem::path& rom, std::string_view name, Console& errors) {
  // Compiled once per rom and kept for the program's life: a computer's
  // processes, and every other computer's, load from the same bytes.
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::unique_ptr<const Chunks>> roms;
  const Chunks* chunks;
  {
    std::lock_guard lock(mutex);
    auto& slot = roms[rom];
    if (!slot) slot = std::make_unique<const Chunks>(compile_rom(rom, errors));
    chunks = slot.get();
  }
  auto it = chunks->find(name);
  return it == chunks->end() ? nullptr : &it->second;
}

}  // namespace moonbox
