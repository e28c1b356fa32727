// Dialect: loading source written for CC's Lua (Cobalt, a Lua 5.2-era
// runtime that keeps some 5.1 habits) on Lua 5.4.
//
// Lua comes from Debian, so the differences are handled in moonbox's
// loader rather than by patching Lua: a chunk is first loaded as it is; only
// if that fails on something CC accepts is it rewritten and loaded again,
// so well-formed code pays nothing.
//   - An unknown escape in a short string ("\ ", "\q", "\u" without "{")
//     means the character itself, as in Lua 5.1 (5.4 rejects it).
//   - A first line starting with "#" (a hashbang) is a comment.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

struct lua_State;

namespace moonbox {

// The source with CC-only constructs rewritten to Lua 5.4; the same text when
// there is nothing to rewrite. Plain C++ (no Lua calls).
std::string rewrite_cc_source(std::string_view source);

// luaL_loadbufferx, retried on the rewritten source when the first attempt
// fails with an error CC would not have raised. Like lua_load, it never
// raises: it returns the status, with the function or the message on top.
int load_cc_chunk(lua_State* L, std::string_view source, const char* chunkname, const char* mode);

}  // namespace moonbox
