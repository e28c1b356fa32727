// system.terminal: virtual terminals, a kernel object each. A process (the
// multishell) opens terminals, starts children on them, reads what they draw
// and passes them input; its children see an ordinary CC terminal.
#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

Terminal& check_terminal(lua_State* L, int arg) {
  Process& self = current_process(L);
  lua_Integer id = check_integer(L, arg);
  bool mine = id > 0 && id <= INT32_MAX && self.kernel().may_use_terminal(self, static_cast<int>(id));
  Terminal* t = mine ? current_computer(L).virtual_terminal(static_cast<int>(id)) : nullptr;
  if (!t) arg_error(L, arg, "no such terminal");
  return *t;
}

// create(width, height) -> id
int terminal_create(lua_State* L) {
  Process& self = current_process(L);
  lua_Integer w = check_integer(L, 1), h = check_integer(L, 2);
  if (w < 1 || w > 256) arg_error(L, 1, "width out of range");
  if (h < 1 || h > 256) arg_error(L, 2, "height out of range");
  Result<int> r = self.kernel().open_terminal(self, static_cast<int>(w), static_cast<int>(h));
  if (!r.ok()) return luaL_error(L, "%s", r.message());
  lua_pushinteger(L, r.value);
  return 1;
}

// close(id): its processes get SIGHUP.
int terminal_close(lua_State* L) {
  check_terminal(L, 1);
  Process& self = current_process(L);
  self.kernel().close_terminal(self, static_cast<int>(lua_tointeger(L, 1)));
  return 0;
}

// start(id, path, ...) -> pid | nil, message: a child on the terminal, in
// its foreground.
int terminal_start(lua_State* L) {
  check_terminal(L, 1);
  Process& self = current_process(L);
  std::size_t len;
  const char* path = check_string(L, 2, &len);
  if (const char* why = bad_path_reason({path, len})) arg_error(L, 2, why);
  std::string_view args = encode_values(L, 3, lua_gettop(L) - 2, 3, "arg");
  ProgramSource program{{path, len}, nullptr, 0, {}, {}};
  SpawnResult r = self.kernel().spawn_on_terminal(self, static_cast<int>(lua_tointeger(L, 1)), program, args);
  if (!r.ok()) {
    lua_pushnil(L);
    lua_pushstring(L, r.message());
    return 2;
  }
  lua_pushinteger(L, r.value);
  return 1;
}

const char kHex[] = "0123456789abcdef";

// Pushes one string of row y: each cell's byte as `part` picks it.
template <class Part>
void push_row(lua_State* L, const Terminal& t, int y, Part part) {
  luaL_Buffer b;
  char* p = luaL_buffinitsize(L, &b, static_cast<std::size_t>(t.width()));
  for (int x = 0; x < t.width(); x++) p[x] = part(t.at(x, y));
  luaL_pushresultsize(&b, static_cast<std::size_t>(t.width()));
}

// getLine(id, y) -> text, fg, bg (blit strings)
int terminal_getLine(lua_State* L) {
  Terminal& t = check_terminal(L, 1);
  lua_Integer y = check_integer(L, 2);
  if (y < 1 || y > t.height()) arg_error(L, 2, "line out of range");
  int row = static_cast<int>(y) - 1;
  push_row(L, t, row, [](const Cell& c) { return static_cast<char>(c.ch); });
  push_row(L, t, row, [](const Cell& c) { return kHex[c.fg & 15]; });
  push_row(L, t, row, [](const Cell& c) { return kHex[c.bg & 15]; });
  return 3;
}

// getCursor(id) -> x, y, blink, text colour
int terminal_getCursor(lua_State* L) {
  Terminal& t = check_terminal(L, 1);
  lua_pushinteger(L, t.cursor_x());
  lua_pushinteger(L, t.cursor_y());
  lua_pushboolean(L, t.cursor_blink());
  lua_pushinteger(L, lua_Integer{1} << t.text_colour());
  return 4;
}

int terminal_getSize(lua_State* L) {
  Terminal& t = check_terminal(L, 1);
  lua_pushinteger(L, t.width());
  lua_pushinteger(L, t.height());
  return 2;
}

// takeChanged(id) -> whether anything was drawn since the last call
int terminal_takeChanged(lua_State* L) {
  Terminal& t = check_terminal(L, 1);
  bool changed = t.palette_dirty();
  for (int y = 0; y < t.height() && !changed; y++) changed = t.row_dirty(y);
  t.clear_dirty();
  current_process(L).kernel().terminal_seen(static_cast<int>(lua_tointeger(L, 1)));
  lua_pushboolean(L, changed);
  return 1;
}

// queueEvent(id, name, ...) -> sent: input for the terminal's foreground
int terminal_queueEvent(lua_State* L) {
  check_terminal(L, 1);
  Process& self = current_process(L);
  std::size_t len;
  const char* name = check_string(L, 2, &len);
  std::string_view payload = encode_values(L, 3, lua_gettop(L) - 2, 3, "arg");
  lua_pushboolean(L, self.kernel().post_to_terminal(self, static_cast<int>(lua_tointeger(L, 1)), {name, len}, payload).ok());
  return 1;
}

// setFocus(id | nil): Ctrl+C, Ctrl+Z... reach that terminal's foreground.
int terminal_setFocus(lua_State* L) {
  Process& self = current_process(L);
  int id = 0;
  if (!lua_isnoneornil(L, 1)) {
    check_terminal(L, 1);
    id = static_cast<int>(lua_tointeger(L, 1));
  }
  self.kernel().set_focus(self, id);
  return 0;
}

int terminal_foreground(lua_State* L) {
  check_terminal(L, 1);
  lua_pushinteger(L, current_process(L).kernel().terminal_foreground(static_cast<int>(lua_tointeger(L, 1))));
  return 1;
}

// current() -> the caller's own terminal id (0: the computer's)
int terminal_current(lua_State* L) {
  lua_pushinteger(L, current_process(L).tty());
  return 1;
}

const luaL_Reg terminal_functions[] = {
    {"create", terminal_create},       {"close", terminal_close},
    {"start", terminal_start},         {"getLine", terminal_getLine},
    {"getCursor", terminal_getCursor}, {"getSize", terminal_getSize},
    {"takeChanged", terminal_takeChanged}, {"queueEvent", terminal_queueEvent},
    {"setFocus", terminal_setFocus},   {"foreground", terminal_foreground},
    {"current", terminal_current},     {nullptr, nullptr},
};

}  // namespace

int open_terminal(lua_State* L) {
  new_module(L, terminal_functions);
  return 1;
}

}  // namespace moonbox
