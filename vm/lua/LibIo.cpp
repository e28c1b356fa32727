// io: CC's io library over fs handles (no host files, no popen), with CC's
// behaviour and words. A file is a table {_handle = <fs handle>} whose
// metatable is named FILE*, as in CC's rom/apis/io.lua; io.read and
// io.write use the terminal until io.input and io.output change them.
//
// It is C rather than rom Lua for memory: as Lua, the library's prototypes
// and closures were 17 KiB of every process that had once written with
// io.write. The functions here are light C functions; a file's methods
// call its fs handle's functions, and the standard streams' read() and
// write(), through lua_callk so that those may yield (read waits for keys;
// write stops a background process).
#include <cstring>

#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

const char* const kFileMeta = "FILE*";
char kInput;   // registry: the current input file
char kOutput;  // registry: the current output file

int return_none(lua_State*, int, lua_KContext) { return 0; }

bool is_file(lua_State* L, int idx) {
  if (!lua_getmetatable(L, idx)) return false;
  luaL_getmetatable(L, kFileMeta);
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

bool field_is_true(lua_State* L, int idx, const char* name) {
  lua_getfield(L, idx, name);
  bool on = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

// Pushes the fs handle of the file at idx, which must be open. The errors
// are the method's caller's.
void check_file(lua_State* L, int idx, const char* method) {
  if (!is_file(L, idx))
    luaL_error(L, "bad argument #1 to '%s' (FILE* expected, got %s)", method,
               lua_isnone(L, idx) ? "nil" : luaL_typename(L, idx));
  if (field_is_true(L, idx, "_closed")) luaL_error(L, "attempt to use a closed file");
  lua_getfield(L, idx, "_handle");
}

// Pushes h[name] (h at idx); false, popping it, when it is not there.
bool push_handle_function(lua_State* L, int h, const char* name) {
  if (lua_getfield(L, h, name) != LUA_TNIL) return true;
  lua_pop(L, 1);
  return false;
}

void push_file(lua_State* L, int handle, const char* std_name) {
  lua_createtable(L, 0, std_name ? 3 : 1);
  lua_pushvalue(L, handle);
  lua_setfield(L, -2, "_handle");
  if (std_name) {
    lua_pushstring(L, std_name);
    lua_setfield(L, -2, "_id");
  }
  luaL_setmetatable(L, kFileMeta);
}

// ---- reading -------------------------------------------------------------
//
// file:read(...), io.read(...) and the lines iterators share one loop. The
// stack is [1] the file, [2 .. n+1] the formats, [n+2] its fs handle, then
// one result per format read so far. The context is n * 2, plus 1 when the
// file is to be closed at its end (io.lines with a path).

int read_loop(lua_State* L, lua_KContext ctx);

int format_count(lua_KContext ctx) { return static_cast<int>(ctx / 2); }

// The letter that decides the format at stack index `format` ('#' for a count).
int format_letter(lua_State* L, int format) {
  if (lua_type(L, format) == LUA_TNUMBER) return '#';
  const char* f = lua_tostring(L, format);
  if (*f == '*') f++;  // Lua 5.1's "*l"
  return *f;
}

// Turns what the handle gave into the format's result.
void finish_result(lua_State* L, lua_KContext ctx) {
  int done = lua_gettop(L) - (format_count(ctx) + 2);
  int letter = format_letter(L, 1 + done);
  if (letter == 'a' && lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "");
  } else if (letter == 'n' && lua_isstring(L, -1)) {
    // the first word of the line, as a number, or nil
    const char* s = lua_tostring(L, -1);
    s += std::strspn(s, " \t\n\v\f\r");
    std::size_t len = std::strcspn(s, " \t\n\v\f\r");
    lua_pushlstring(L, s, len);
    if (lua_stringtonumber(L, lua_tostring(L, -1)) == 0) lua_pushnil(L);
    lua_replace(L, -3);
    lua_pop(L, 1);
  }
}

int read_continue(lua_State* L, int, lua_KContext ctx) {
  finish_result(L, ctx);
  return read_loop(L, ctx);
}

[[noreturn]] void not_readable(lua_State* L) { luaL_error(L, "file is not readable"); std::abort(); }

// Pushes the raw result of format i (1-based): a call of the handle.
void start_result(lua_State* L, lua_KContext ctx, int i) {
  int format = 1 + i, h = format_count(ctx) + 2;
  if (lua_type(L, format) == LUA_TNUMBER) {
    if (!push_handle_function(L, h, "read")) not_readable(L);
    if (lua_tonumber(L, format) != 0) {
      lua_pushvalue(L, format);
      lua_call(L, 1, 1);
      return;
    }
    // "" unless at the end, without consuming anything
    lua_pushinteger(L, 1);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    if (push_handle_function(L, h, "seek")) {
      lua_pushliteral(L, "cur");
      lua_pushinteger(L, -1);
      lua_call(L, 2, 0);
    }
    lua_pushliteral(L, "");
    return;
  }
  int letter = lua_type(L, format) == LUA_TSTRING ? format_letter(L, format) : 0;
  const char* fn = nullptr;
  int nargs = 0;
  switch (letter) {
    case 'l':
    case 'L':
      fn = "readLine";
      lua_pushboolean(L, letter == 'L');
      nargs = 1;
      break;
    case 'a':
      fn = "readAll";
      break;
    case 'n':
      fn = "readLine";
      lua_pushboolean(L, 0);
      nargs = 1;
      break;
    default:
      luaL_error(L, "bad argument #%d to 'read' (invalid format)", i);
  }
  if (!push_handle_function(L, h, fn)) {
    if (letter == 'n') {  // nothing to read a number from
      lua_pop(L, nargs);
      lua_pushnil(L);
      return;
    }
    not_readable(L);
  }
  lua_insert(L, -1 - nargs);
  lua_callk(L, nargs, 1, ctx, read_continue);
}

int read_loop(lua_State* L, lua_KContext ctx) {
  int n = format_count(ctx);
  for (;;) {
    int done = lua_gettop(L) - (n + 2);
    bool ended = done > 0 && lua_isnil(L, -1);
    if (ended || done == n) {
      if (ended && done == 1 && (ctx & 1)) {  // io.lines(path): the file closes at its end
        lua_getfield(L, 1, "close");
        lua_pushvalue(L, 1);
        lua_call(L, 1, 0);
      }
      return done;
    }
    luaL_checkstack(L, 2, "too many results");
    start_result(L, ctx, done + 1);
    finish_result(L, ctx);
  }
}

// Reads the formats above the file at 1 ("l" when there are none).
int read_file(lua_State* L, bool close_at_end) {
  check_file(L, 1, "read");
  if (lua_gettop(L) == 2) {  // no formats
    lua_pushliteral(L, "l");
    lua_insert(L, 2);
  }
  lua_KContext ctx = static_cast<lua_KContext>(lua_gettop(L) - 2) * 2 + (close_at_end ? 1 : 0);
  return read_loop(L, ctx);
}

int file_read(lua_State* L) { return read_file(L, false); }

// The iterator of file:lines and io.lines: upvalues are the file, the
// number of formats times 2 plus 1 to close the file at its end, then the
// formats.
int lines_next(lua_State* L) {
  lua_Integer counts = lua_tointeger(L, lua_upvalueindex(2));
  int formats = static_cast<int>(counts / 2);
  lua_settop(L, 0);
  if (field_is_true(L, lua_upvalueindex(1), "_closed")) return luaL_error(L, "file is already closed");
  luaL_checkstack(L, formats + 4, "too many formats");
  lua_pushvalue(L, lua_upvalueindex(1));
  for (int i = 0; i < formats; i++) lua_pushvalue(L, lua_upvalueindex(3 + i));
  return read_file(L, counts & 1);
}

// An iterator over the file at 1 reading the formats from `first` on.
int push_lines(lua_State* L, int first, bool close_at_end) {
  int formats = lua_gettop(L) - first + 1;
  if (formats < 0) formats = 0;
  luaL_argcheck(L, formats <= 250, first + 250, "too many arguments");
  lua_pushvalue(L, 1);
  lua_pushinteger(L, formats * 2 + (close_at_end ? 1 : 0));
  for (int i = 0; i < formats; i++) lua_pushvalue(L, first + i);
  lua_pushcclosure(L, lines_next, 2 + formats);
  return 1;
}

int file_lines(lua_State* L) {
  check_file(L, 1, "lines");
  lua_pop(L, 1);
  return push_lines(L, 2, false);
}

// ---- writing -------------------------------------------------------------
//
// The stack is [1] the file, [2 .. n+1] the values, [n+2] its fs handle;
// the context is the next value's number times 2, plus 1 for io.write,
// whose errors name no function: CC's io.write reaches file:write by a
// tail call, which has no name.

int write_loop_k(lua_State* L, int, lua_KContext next);

int write_loop(lua_State* L, lua_KContext next) {
  int h = lua_gettop(L);
  int n = h - 2;
  lua_KContext anonymous = next & 1;
  for (int i = static_cast<int>(next / 2); i <= n; i++) {
    cc_expect_arg(L, 1 + i, {"string", "number"}, i, !anonymous);
    lua_getfield(L, h, "write");
    luaL_tolstring(L, 1 + i, nullptr);
    lua_callk(L, 1, 0, (i + 1) * 2 + anonymous, write_loop_k);
  }
  lua_pushvalue(L, 1);
  return 1;
}

int write_loop_k(lua_State* L, int, lua_KContext next) { return write_loop(L, next); }

int write_file(lua_State* L, bool anonymous) {
  check_file(L, 1, "write");
  if (lua_getfield(L, -1, "write") == LUA_TNIL) {
    lua_pushnil(L);
    lua_pushliteral(L, "file is not writable");
    return 2;
  }
  lua_pop(L, 1);
  return write_loop(L, 2 + (anonymous ? 1 : 0));
}

int file_write(lua_State* L) { return write_file(L, false); }

// ---- the other methods ---------------------------------------------------

int file_seek(lua_State* L) {
  lua_settop(L, 3);
  check_file(L, 1, "seek");
  cc_expect_arg(L, 2, {"string", "nil"}, 1);
  cc_expect_arg(L, 3, {"number", "nil"}, 2);
  if (!push_handle_function(L, 4, "seek")) {
    lua_pushnil(L);
    lua_pushliteral(L, "file is not seekable");
    return 2;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_call(L, 2, LUA_MULTRET);  // an fs handle's: it does not yield
  return lua_gettop(L) - 4;
}

int return_self(lua_State* L, int, lua_KContext) {
  lua_pushvalue(L, 1);
  return 1;
}

int file_flush(lua_State* L) {
  check_file(L, 1, "flush");
  if (push_handle_function(L, -1, "flush")) lua_callk(L, 0, 0, 0, return_self);
  return return_self(L, LUA_OK, 0);
}

int file_setvbuf(lua_State* L) {
  check_file(L, 1, "setvbuf");
  lua_pushboolean(L, 1);
  return 1;
}

int file_close(lua_State* L) {
  lua_settop(L, 1);
  check_file(L, 1, "close");
  if (lua_getfield(L, 1, "_close") != LUA_TNIL) {  // a standard stream
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 2;
  }
  lua_pop(L, 1);
  lua_getfield(L, 2, "close");
  lua_call(L, 0, 0);
  lua_pushboolean(L, 1);
  lua_setfield(L, 1, "_closed");
  lua_pushboolean(L, 1);
  return 1;
}

int file_tostring(lua_State* L) {
  if (field_is_true(L, 1, "_closed")) {
    lua_pushliteral(L, "file (closed)");
  } else if (lua_getfield(L, 1, "_id") == LUA_TSTRING) {
    lua_pushfstring(L, "file (%s)", lua_tostring(L, -1));
  } else {
    lua_getfield(L, 1, "_handle");
    lua_pushfstring(L, "file (%p)", lua_topointer(L, -1));
  }
  return 1;
}

// ---- the standard streams' handles -------------------------------------

int std_close(lua_State*) { return 0; }

int std_refuse_close(lua_State* L) {
  lua_pushnil(L);
  lua_pushliteral(L, "attempt to close standard stream");
  return 2;
}

// stdin: lines from read(), the shell's line editor.
int stdin_line_k(lua_State* L, int, lua_KContext trailing) {
  if (trailing && lua_isstring(L, -1)) {
    lua_pushliteral(L, "\n");
    lua_concat(L, 2);
  }
  return 1;
}

int stdin_readLine(lua_State* L) {
  lua_KContext trailing = lua_toboolean(L, 1);
  lua_settop(L, 0);
  lua_getglobal(L, "read");
  lua_callk(L, 0, 1, trailing, stdin_line_k);
  return stdin_line_k(L, LUA_OK, trailing);
}

// Every line until read() gives nil, joined by "\n".
int stdin_readAll_k(lua_State* L, int, lua_KContext) {
  for (;;) {
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      luaL_Buffer b;
      int lines = lua_gettop(L);
      // the lines are on the stack; join them below the buffer
      luaL_buffinit(L, &b);
      for (int i = 1; i <= lines; i++) {
        if (i > 1) luaL_addchar(&b, '\n');
        lua_pushvalue(L, i);
        luaL_addvalue(&b);
      }
      luaL_pushresult(&b);
      return 1;
    }
    luaL_checkstack(L, 3, "too many lines");
    lua_getglobal(L, "read");
    lua_callk(L, 0, 1, 0, stdin_readAll_k);
  }
}

int stdin_readAll(lua_State* L) {
  lua_settop(L, 0);
  luaL_checkstack(L, 3, "too many lines");
  lua_getglobal(L, "read");
  lua_callk(L, 0, 1, 0, stdin_readAll_k);
  return stdin_readAll_k(L, LUA_OK, 0);
}

int stdout_write(lua_State* L) {
  lua_settop(L, 1);
  lua_getglobal(L, "write");
  lua_insert(L, 1);
  lua_callk(L, 1, 0, 0, return_none);
  return 0;
}

// stderr: write() in red, on a colour terminal. Stack: [1] the text,
// [2] term, [3] the colour to put back.
int stderr_restore(lua_State* L, int, lua_KContext) {
  lua_getfield(L, 2, "setTextColour");
  lua_pushvalue(L, 3);
  lua_call(L, 1, 0);
  return 0;
}

int stderr_write(lua_State* L) {
  lua_settop(L, 1);
  lua_getglobal(L, "term");
  lua_getfield(L, 2, "getTextColour");
  lua_call(L, 0, 1);
  lua_getfield(L, 2, "isColour");
  lua_call(L, 0, 1);
  bool colour = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (colour) {
    lua_getfield(L, 2, "setTextColour");
    lua_pushinteger(L, 0x4000);  // colors.red
    lua_call(L, 1, 0);
  }
  lua_getglobal(L, "write");
  lua_pushvalue(L, 1);
  lua_callk(L, 1, 0, 0, stderr_restore);
  return stderr_restore(L, LUA_OK, 0);
}

void push_std_file(lua_State* L, const char* name, const luaL_Reg* handle) {
  lua_newtable(L);
  luaL_setfuncs(L, handle, 0);
  push_file(L, lua_gettop(L), name);
  lua_remove(L, -2);
  lua_pushcfunction(L, std_refuse_close);
  lua_setfield(L, -2, "_close");
}

// ---- io.* -----------------------------------------------------------------

// Puts the current input (or output) file below the arguments.
void insert_current(lua_State* L, const char* key) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, key);
  lua_insert(L, 1);
}

int io_open(lua_State* L) {
  cc_expect_arg(L, 1, {"string"});
  cc_expect_arg(L, 2, {"string", "nil"});
  lua_settop(L, 2);
  if (lua_isnil(L, 2)) {
    lua_pushliteral(L, "r");
    lua_replace(L, 2);
  }
  // ^[rwa]%+?b?$
  const char* mode = lua_tostring(L, 2);
  std::size_t len = lua_rawlen(L, 2), at = 1;
  bool ok = len >= 1 && mode[0] != '\0' && std::strchr("rwa", mode[0]);
  if (ok && at < len && mode[at] == '+') at++;
  if (ok && at < len && mode[at] == 'b') at++;
  if (!ok || at != len) return luaL_error(L, "Unsupported mode");
  lua_getglobal(L, "fs");
  lua_getfield(L, -1, "open");
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 2;
  lua_pop(L, 1);
  push_file(L, lua_gettop(L), nullptr);
  return 1;
}

int io_type(lua_State* L) {
  if (!is_file(L, 1)) return 0;
  if (field_is_true(L, 1, "_closed")) lua_pushliteral(L, "closed file");
  else lua_pushliteral(L, "file");
  return 1;
}

int io_close(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    insert_current(L, &kOutput);
  } else if (!is_file(L, 1)) {
    cc_expect_arg(L, 1, {"FILE*"});
  }
  return file_close(L);
}

// io.input(file) and io.output(file): a path opens the file with `mode`.
int set_current(lua_State* L, const char* key, const char* mode) {
  if (lua_type(L, 1) == LUA_TSTRING) {
    lua_settop(L, 1);
    lua_pushstring(L, mode);
    io_open(L);
    if (lua_isnil(L, -2)) return luaL_error(L, "%s", lua_tostring(L, -1));
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);
  } else if (!lua_isnoneornil(L, 1)) {
    if (!is_file(L, 1)) cc_expect_arg(L, 1, {"FILE*", "string", "nil"});
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, key);
  return 1;
}

int io_input(lua_State* L) { return set_current(L, &kInput, "r"); }
int io_output(lua_State* L) { return set_current(L, &kOutput, "w"); }

int io_read(lua_State* L) {
  insert_current(L, &kInput);
  return file_read(L);
}

int io_write(lua_State* L) {
  insert_current(L, &kOutput);
  return write_file(L, true);
}

int io_flush(lua_State* L) {
  lua_settop(L, 0);
  insert_current(L, &kOutput);
  return file_flush(L);
}

int io_lines(lua_State* L) {
  cc_expect_arg(L, 1, {"string", "nil"});
  if (lua_isnoneornil(L, 1)) {
    if (lua_isnone(L, 1)) lua_pushnil(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kInput);
    lua_replace(L, 1);
    check_file(L, 1, "lines");
    lua_pop(L, 1);
    return push_lines(L, 2, false);
  }
  int top = lua_gettop(L);
  lua_pushvalue(L, 1);
  lua_pushliteral(L, "r");
  lua_pushcfunction(L, io_open);
  lua_insert(L, -3);
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return luaL_error(L, "%s", lua_tostring(L, -1));
  lua_pop(L, 1);
  lua_replace(L, 1);  // the file takes the path's place
  lua_settop(L, top);
  return push_lines(L, 2, true);
}

}  // namespace

int open_io(lua_State* L) {
  static const luaL_Reg methods[] = {
      {"read", file_read},   {"lines", file_lines}, {"write", file_write},     {"seek", file_seek},
      {"flush", file_flush}, {"close", file_close}, {"setvbuf", file_setvbuf}, {nullptr, nullptr}};
  static const luaL_Reg functions[] = {
      {"open", io_open},   {"type", io_type},   {"close", io_close}, {"input", io_input}, {"output", io_output},
      {"read", io_read},   {"write", io_write}, {"flush", io_flush}, {"lines", io_lines}, {nullptr, nullptr}};
  static const luaL_Reg stdin_handle[] = {
      {"readLine", stdin_readLine}, {"readAll", stdin_readAll}, {"close", std_close}, {nullptr, nullptr}};
  static const luaL_Reg stdout_handle[] = {{"write", stdout_write}, {"flush", std_close}, {"close", std_close}, {nullptr, nullptr}};
  static const luaL_Reg stderr_handle[] = {{"write", stderr_write}, {"flush", std_close}, {"close", std_close}, {nullptr, nullptr}};

  luaL_newmetatable(L, kFileMeta);  // its __name is FILE*
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, file_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);

  luaL_newlib(L, functions);
  push_std_file(L, "stdin", stdin_handle);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kInput);
  lua_setfield(L, -2, "stdin");
  push_std_file(L, "stdout", stdout_handle);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kOutput);
  lua_setfield(L, -2, "stdout");
  push_std_file(L, "stderr", stderr_handle);
  lua_setfield(L, -2, "stderr");
  return 1;
}

}  // namespace moonbox
