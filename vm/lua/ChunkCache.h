// ChunkCache: the rom's programs and modules, compiled once per host.
//
// Every computer's boot compiled the same rom files again (the shell, init,
// startup, motd, cc.require: half a millisecond of compiling, and the
// garbage with it; turning on 1,000 computers took 1.57-1.77 s, with the
// cache 0.99-1.12 s). A rom file's chunk is now compiled the first time any
// process loads it and kept as bytecode, which later loads take instead of
// parsing the text. Like the bios chunks (Bios.h), the bytecode is the
// kernel's own, made from text: processes themselves still load text only.
#pragma once

#include <cstddef>
#include <string_view>

struct lua_State;

namespace moonbox {

// load_cc_chunk (text) for `source` named `chunkname`; when chunkname names
// a rom file ("@/rom/..."), through the cache. A cached chunk is used only
// for the very same text, so a rom file changed on the host is compiled
// again. Never raises: returns the status, the function or the message on
// top.
int load_rom_chunk(lua_State* L, std::string_view source, const char* chunkname);

// A lua_Writer for lua_dump that appends to the std::string at ud; a C++
// allocation failure stops the dump (it must not throw through Lua's C).
int append_to_string(lua_State* L, const void* p, std::size_t size, void* ud);

// How many chunks the cache holds (for the tests).
std::size_t cached_rom_chunks();

}  // namespace moonbox
