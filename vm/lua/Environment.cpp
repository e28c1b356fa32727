#include "vm/lua/Environment.h"

#include <lua.hpp>

#include "vm/lua/ChunkCache.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

int load_program(lua_State* L, std::string_view source, const char* chunkname) {
  return load_rom_chunk(L, source, chunkname);  // the rom's programs: compiled once per host
}

}  // namespace

void use_lua_programs(KernelConfig& config) {
  config.open_environment = open_sandbox;
  config.load_program = load_program;
  config.program_hook = run_program_hook;
  config.program_hook_mask = program_hook_mask;
}

}  // namespace moonbox
