// fs.open's handles: a file of the computer's file system opened for
// reading, writing or appending, with CC's methods (read, readLine, readAll,
// write, writeLine, seek, flush, close) and its disk space kept right.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>

#include <sys/stat.h>

#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/LibFs.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace fs = std::filesystem;

namespace {
// A file handle's state, in a full userdata (built in place, emptied by its
// __gc). Its methods look it up again after converting their
// arguments: a __tostring may close the handle mid-call.
struct Handle {
  std::FILE* file = nullptr;
  bool writing = false;
  bool binary = false;
  bool append = false;  // writes go to the end, wherever reading is
  // The file's size as this handle knows it: what it was at open, grown by
  // this handle's writes (buffered ones included).
  std::uintmax_t size = 0;
  // What writes count against: a write that makes the file longer needs
  // the room it adds, holes included (a seek far past the end).
  std::shared_ptr<DiskSpace> space;
};

const char* kHandleMeta = "moonbox.fs.handle";

// Closed when the process ends: lua_close collects every handle (this is a
// C finalizer; user code may not have any). Resetting to an empty handle
// frees what it holds and is safe to repeat, should __gc ever be called
// twice; an empty Handle needs no destructor.
int handle_gc(lua_State* L) {
  auto* h = static_cast<Handle*>(luaL_checkudata(L, 1, kHandleMeta));
  if (h->file) std::fclose(h->file);
  *h = Handle();
  return 0;
}

// The handle, which must still be open. Call it after the arguments are
// converted (anything that can run Lua), never before.
Handle& open_handle(lua_State* L) {
  auto* h = static_cast<Handle*>(luaL_checkudata(L, lua_upvalueindex(1), kHandleMeta));
  if (!h->file) luaL_error(L, "attempt to use a closed file");
  return *h;
}

int h_close(lua_State* L) {
  Handle& h = open_handle(L);
  std::fclose(h.file);
  h.file = nullptr;
  h.space.reset();
  return 0;
}

int h_flush(lua_State* L) {
  std::fflush(open_handle(L).file);
  return 0;
}

int h_readLine(lua_State* L) {
  drop_handle_self(L);
  bool keep = lua_toboolean(L, 1);
  std::FILE* file = open_handle(L).file;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int c;
  bool any = false;
  while ((c = std::fgetc(file)) != EOF) {
    any = true;
    if (c == '\n') {
      if (keep) luaL_addchar(&b, '\n');
      // A Windows line ending ends the line too: no trailing \r.
      else if (luaL_bufflen(&b) > 0 && luaL_buffaddr(&b)[luaL_bufflen(&b) - 1] == '\r') luaL_buffsub(&b, 1);
      break;
    }
    luaL_addchar(&b, static_cast<char>(c));
  }
  if (!any) return 0;
  luaL_pushresult(&b);
  return 1;
}

int h_readAll(lua_State* L) {
  std::FILE* file = open_handle(L).file;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) luaL_addlstring(&b, buf, n);
  luaL_pushresult(&b);
  return 1;
}

int h_read(lua_State* L) {
  drop_handle_self(L);
  lua_Integer count = opt_integer(L, 1, 1);
  if (count < 0) arg_error(L, 1, "cannot read a negative number of bytes");
  Handle& h = open_handle(L);
  std::FILE* file = h.file;
  if (h.binary && lua_isnoneornil(L, 1)) {  // binary read() gives a byte
    int c = std::fgetc(file);
    if (c == EOF) return 0;
    lua_pushinteger(L, c);
    return 1;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  lua_Integer got = 0;
  int c;
  while (got < count && (c = std::fgetc(file)) != EOF) {
    luaL_addchar(&b, static_cast<char>(c));
    got++;
  }
  if (got == 0 && count > 0) return 0;
  luaL_pushresult(&b);
  return 1;
}

// The file's size once `len` bytes are written at the handle's position:
// past its end, the hole before them included. Plain C++.
std::uintmax_t size_after_write(Handle& h, std::size_t len) {
  struct stat st;
  if (fstat(fileno(h.file), &st) == 0 && static_cast<std::uintmax_t>(st.st_size) > h.size)
    h.size = static_cast<std::uintmax_t>(st.st_size);  // another handle made it longer
  long at = h.append ? -1 : std::ftell(h.file);
  std::uintmax_t start = at < 0 ? h.size : static_cast<std::uintmax_t>(at);
  return std::max(h.size, start + len);
}

int write_common(lua_State* L, bool newline) {
  drop_handle_self(L);
  // Convert first: luaL_tolstring may run a __tostring that closes this
  // very handle. The handle is looked up only afterwards.
  std::size_t len;
  const char* s;
  char byte;
  auto* peek = static_cast<Handle*>(luaL_checkudata(L, lua_upvalueindex(1), kHandleMeta));
  if (peek->binary && lua_type(L, 1) == LUA_TNUMBER) {
    byte = static_cast<char>(check_integer(L, 1) & 0xFF);
    s = &byte;
    len = 1;
  } else {
    s = luaL_tolstring(L, 1, &len);
  }
  Handle& h = open_handle(L);
  std::uintmax_t size = size_after_write(h, len + (newline ? 1 : 0));
  std::uintmax_t grow = Vfs::entry_cost(size) - Vfs::entry_cost(h.size);
  if (!h.space->fits(grow)) return luaL_error(L, "Out of space");
  if (std::fwrite(s, 1, len, h.file) != len || (newline && std::fputc('\n', h.file) == EOF))
    return luaL_error(L, "write failed");
  h.size = size;
  h.space->add(static_cast<std::intmax_t>(grow));
  return 0;
}

int h_write(lua_State* L) { return write_common(L, false); }
int h_writeLine(lua_State* L) { return write_common(L, true); }

int h_seek(lua_State* L) {
  drop_handle_self(L);
  static const char* const whences[] = {"set", "cur", "end", nullptr};
  static const int modes[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  int w = check_option(L, 1, "cur", whences);
  lua_Integer offset = opt_integer(L, 2, 0);
  std::FILE* file = open_handle(L).file;
  if (std::fseek(file, static_cast<long>(offset), modes[w]) != 0) {
    lua_pushnil(L);
    lua_pushliteral(L, "seek failed");
    return 2;
  }
  lua_pushinteger(L, std::ftell(file));
  return 1;
}

// Opens the host file behind vpath into h. Plain C++; false with a reason.
// kind is 'r', 'w' or 'a'; update (the '+' modes) opens for both reading and
// writing. Error words are CC's.
bool open_host_file(Vfs& vfs, const char* vpath, char kind, bool update, Handle& h, const char** why) {
  bool writing = kind != 'r' || update;
  if (writing && vfs.is_read_only(vpath)) {
    *why = "Access denied";
    return false;
  }
  auto host = vfs.host_path(vpath);
  std::error_code ec;
  if (!host) {
    *why = "Access denied";
    return false;
  }
  if (fs::is_directory(*host, ec)) {
    *why = writing ? "Cannot write to directory" : "Not a file";
    return false;
  }
  if (kind == 'r' && !fs::is_regular_file(*host, ec)) {
    *why = "No such file";
    return false;
  }
  std::shared_ptr<DiskSpace> space = vfs.space_of(vpath);
  bool exists = fs::is_regular_file(*host, ec);
  std::uintmax_t size = exists ? fs::file_size(*host, ec) : 0;
  // Writing creates the directories on the way, as CC does; they, and a new
  // file, each take kMinEntrySize.
  if (writing && ((!exists && !space->fits(Vfs::kMinEntrySize)) || !make_dirs(vfs, *space, host->parent_path()))) {
    *why = "Out of space";
    return false;
  }
  static const char* const modes[2][3] = {{"rb", "wb", "ab"}, {"r+b", "w+b", "a+b"}};
  h.file = std::fopen(host->c_str(), modes[update][kind == 'r' ? 0 : kind == 'w' ? 1 : 2]);
  if (!h.file) {
    *why = "Access denied";
    return false;
  }
  if (writing && !exists) space->add(static_cast<std::intmax_t>(Vfs::kMinEntrySize));
  if (kind == 'w') {  // truncated: what was past the minimum is free again
    space->add(-static_cast<std::intmax_t>(Vfs::entry_cost(size) - Vfs::kMinEntrySize));
    size = 0;
  }
  h.writing = writing;
  h.append = kind == 'a';
  h.size = size;
  if (writing) h.space = std::move(space);
  return true;
}

}  // namespace

// fs.open(path, mode): a handle table, or nil and a message.
int fs_open(lua_State* L) {
  const char* path = check_path(L, 1);
  const char* mode = check_string(L, 2);
  // r, w, a, r+, w+, a+, each with an optional b
  char kind = mode[0];
  bool update = kind && mode[1] == '+';
  const char* rest = mode + (kind ? 1 : 0) + (update ? 1 : 0);
  bool binary = *rest == 'b';
  if ((kind != 'r' && kind != 'w' && kind != 'a') || rest[binary ? 1 : 0] != '\0')
    cc_error(L, "Unsupported mode");  // CC's words
  // The userdata exists (and has its finalizer) before the file is opened,
  // so that a memory error can never leak an open FILE.
  auto* h = new (lua_newuserdatauv(L, sizeof(Handle), 0)) Handle();
  luaL_setmetatable(L, kHandleMeta);
  int ud = lua_gettop(L);
  lua_createtable(L, 0, 8);
  int table = lua_gettop(L);
  const char* why = nullptr;
  if (!open_host_file(current_computer(L).vfs(), path, kind, update, *h, &why)) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, why);
    return 2;
  }
  h->binary = binary;
  bool reading = kind == 'r' || update;
  bool writing = h->writing;
  auto method = [&](const char* name, lua_CFunction fn) {
    lua_pushvalue(L, ud);
    lua_pushvalue(L, table);
    lua_pushcclosure(L, fn, 2);
    lua_setfield(L, table, name);
  };
  method("close", locked<h_close>);
  method("seek", locked<h_seek>);
  if (writing) {
    method("write", locked<h_write>);
    method("writeLine", locked<h_writeLine>);
    method("flush", locked<h_flush>);
  }
  if (reading) {
    method("readLine", locked<h_readLine>);
    method("readAll", locked<h_readAll>);
    method("read", locked<h_read>);
  }
  return 1;
}

void register_handle_type(lua_State* L) {
  luaL_newmetatable(L, kHandleMeta);
  lua_pushcfunction(L, locked<handle_gc>);
  lua_setfield(L, -2, "__gc");
  lua_pushliteral(L, "file handle");
  lua_setfield(L, -2, "__name");
  lua_pop(L, 1);
}

}  // namespace moonbox
