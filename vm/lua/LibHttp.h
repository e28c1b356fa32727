// The http API's parts the rest of the Lua floor uses (vm/lua/LibHttp.cpp).
#pragma once

#include <lua.hpp>

namespace moonbox {

// The http global: CC's API, or nil when the computer's http is off.
int open_http(lua_State* L);
// system.config: what the host's configuration says to the rom.
int open_config(lua_State* L);
// An event pulled by a program (name, values... on the stack from index 1):
// the handle tokens an http_* or websocket_* event carries become handles.
void push_event_handles(lua_State* L);

}  // namespace moonbox
