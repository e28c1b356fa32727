// fs: the CC file system API over the virtual file system, with file
// handles that are flushed and closed when their process ends.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include <sys/stat.h>

#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------- paths

// The normalised virtual path of argument arg. As in CC, fs paths are
// relative to the root ("a/b" is "/a/b"), whatever the process's working
// directory: CC programs pass shell.resolve()'s root-relative paths.
// Pushes it and returns it.
const char* check_path(lua_State* L, int arg) {
  std::size_t len;
  const char* path = check_string(L, arg, &len);
  if (const char* why = bad_path_reason({path, len})) arg_error(L, arg, why);
  current_process(L);
  return push_normalized_path(L, path, "/");
}

// CC's path sanitising, for combine, getName and getDir (string functions
// that touch no file): backslashes are slashes; the characters " : < > |
// (and * and ? unless wildcards are allowed) and control characters go; "." and
// empty parts go, ".." removes the part before it (or stays at the start),
// runs of three or more dots go. The result has no leading slash.
std::string sanitize(std::string_view path, bool wildcards) {
  std::vector<std::string> parts;
  std::size_t leading_up = 0;  // ".." parts at the start
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = path.size();
    std::string part;
    for (std::size_t i = start; i < end && part.size() < 255; i++) {
      unsigned char c = static_cast<unsigned char>(path[i]);
      if (c < 32 || std::strchr("\":<>|", c) || (!wildcards && (c == '*' || c == '?'))) continue;
      part += static_cast<char>(c);
    }
    bool dots = part.size() >= 3 && part.find_first_not_of('.') == std::string::npos;
    if (part.empty() || part == "." || dots) {
      // skipped
    } else if (part == "..") {
      if (parts.size() > leading_up) {
        parts.pop_back();
      } else {
        parts.push_back(part);
        leading_up++;
      }
    } else {
      parts.push_back(std::move(part));
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

void push_sanitized(lua_State* L, std::string_view path, bool wildcards) {
  int status;
  {
    std::string clean = sanitize(path, wildcards);
    auto push = [&clean](lua_State* L1) {
      lua_pushlstring(L1, clean.data(), clean.size());
      return 1;
    };
    status = protected_call(L, push, 1);
  }
  if (status != LUA_OK) lua_error(L);
}

// Plain C++ helpers: no Lua calls, so C++ objects are safe in them.
bool host_of(Vfs& vfs, const char* vpath, fs::path& out) {
  auto p = vfs.host_path(vpath);
  if (!p) return false;
  out = std::move(*p);
  return true;
}

int fs_exists(lua_State* L) {
  const char* path = check_path(L, 1);
  lua_pushboolean(L, current_computer(L).vfs().exists(path));
  return 1;
}

bool is_dir(Vfs& vfs, const char* vpath) {
  fs::path host;
  std::error_code ec;
  return host_of(vfs, vpath, host) && fs::is_directory(host, ec);
}

int fs_isDir(lua_State* L) {
  const char* path = check_path(L, 1);
  lua_pushboolean(L, is_dir(current_computer(L).vfs(), path));
  return 1;
}

int fs_isReadOnly(lua_State* L) {
  const char* path = check_path(L, 1);
  lua_pushboolean(L, current_computer(L).vfs().is_read_only(path));
  return 1;
}

// getName("a/b") is "b"; of the root it is "root", as in CC.
int fs_getName(lua_State* L) {
  std::size_t len;
  const char* path = check_string(L, 1, &len);
  push_sanitized(L, {path, len}, true);
  const char* clean = lua_tostring(L, -1);
  const char* slash = std::strrchr(clean, '/');
  lua_pushstring(L, *clean ? (slash ? slash + 1 : clean) : "root");
  return 1;
}

// getDir("a/b") is "a", getDir("a") is "", and of the root it is "..".
int fs_getDir(lua_State* L) {
  std::size_t len;
  const char* path = check_string(L, 1, &len);
  push_sanitized(L, {path, len}, true);
  const char* clean = lua_tostring(L, -1);
  const char* slash = std::strrchr(clean, '/');
  if (!*clean) lua_pushliteral(L, "..");
  else if (!slash) lua_pushliteral(L, "");
  else lua_pushlstring(L, clean, static_cast<std::size_t>(slash - clean));
  return 1;
}

// combine(path, ...): the parts joined and sanitised, without a leading slash.
int fs_combine(lua_State* L) {
  int n = lua_gettop(L);
  check_string(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    check_string(L, i);
    if (i > 1) luaL_addchar(&b, '/');
    lua_pushvalue(L, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  std::size_t len;
  const char* joined = lua_tolstring(L, -1, &len);
  push_sanitized(L, {joined, len}, true);
  return 1;
}

// The size of a file (0 for a directory); false when there is nothing.
bool file_size(Vfs& vfs, const char* vpath, std::uintmax_t& size) {
  fs::path host;
  std::error_code ec;
  if (!host_of(vfs, vpath, host) || !fs::exists(host, ec)) return false;
  size = fs::is_regular_file(host, ec) ? fs::file_size(host, ec) : 0;
  return true;
}

int fs_getSize(lua_State* L) {
  const char* path = check_path(L, 1);
  std::uintmax_t size = 0;
  if (!file_size(current_computer(L).vfs(), path, size)) return luaL_error(L, "%s: No such file", path);
  lua_pushinteger(L, static_cast<lua_Integer>(size));
  return 1;
}

struct Attributes {
  std::uintmax_t size = 0;
  bool is_dir = false;
  long long modified_ms = 0;
};

bool file_attributes(Vfs& vfs, const char* vpath, Attributes& out) {
  fs::path host;
  std::error_code ec;
  if (!host_of(vfs, vpath, host) || !fs::exists(host, ec)) return false;
  out.is_dir = fs::is_directory(host, ec);
  out.size = out.is_dir ? 0 : fs::file_size(host, ec);
  auto mtime = fs::last_write_time(host, ec);
  if (!ec) {
    auto sys = fs::file_time_type::clock::to_sys(mtime);
    out.modified_ms = std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
  }
  return true;
}

// attributes(path): size, isDir, isReadOnly, created, modified (ms since
// 1970; the host keeps no creation time, so created is the modification).
int fs_attributes(lua_State* L) {
  const char* path = check_path(L, 1);
  Vfs& vfs = current_computer(L).vfs();
  Attributes a;
  if (!file_attributes(vfs, path, a)) cc_error(L, "%s: No such file", path);
  lua_createtable(L, 0, 6);
  set_field_integer(L, "size", static_cast<lua_Integer>(a.size));
  lua_pushboolean(L, a.is_dir);
  lua_setfield(L, -2, "isDir");
  lua_pushboolean(L, vfs.is_read_only(path));
  lua_setfield(L, -2, "isReadOnly");
  set_field_integer(L, "created", a.modified_ms);
  set_field_integer(L, "modified", a.modified_ms);
  set_field_integer(L, "modification", a.modified_ms);
  return 1;
}

// True for the root of a mount (/disk): it can be neither deleted nor moved.
bool is_mount_root(const Vfs& vfs, std::string_view vpath) {
  const Vfs::Mount* m = vfs.mount_of(vpath);
  return m && vpath.size() == m->name.size() + 1;
}

// getFreeSpace(path): the room left where path is; none on the read-only
// rom, as CC's read-only mounts.
int fs_getFreeSpace(lua_State* L) {
  const char* path = check_path(L, 1);
  Vfs& vfs = current_computer(L).vfs();
  lua_pushinteger(L, vfs.is_read_only(path) ? 0 : static_cast<lua_Integer>(vfs.space_of(path)->free()));
  return 1;
}

// getCapacity(path): the disk quota; nil on the read-only rom, as CC.
int fs_getCapacity(lua_State* L) {
  const char* path = check_path(L, 1);
  Vfs& vfs = current_computer(L).vfs();
  if (vfs.is_read_only(path)) lua_pushnil(L);
  else lua_pushinteger(L, static_cast<lua_Integer>(vfs.space_of(path)->capacity()));
  return 1;
}

int fs_getDrive(lua_State* L) {
  const char* path = check_path(L, 1);
  Vfs& vfs = current_computer(L).vfs();
  if (!vfs.exists(path)) return 0;
  if (vfs.is_read_only(path)) lua_pushliteral(L, "rom");
  else if (const Vfs::Mount* m = vfs.mount_of(path)) lua_pushlstring(L, m->drive.data(), m->drive.size());
  else lua_pushliteral(L, "hdd");
  return 1;
}

// Sorted names in a directory; /rom appears in the root. /rom/moonbox (init,
// the bios chunks) is left out of /rom's list, so that a program listing,
// finding or completing in /rom sees CC's layout; it is there by its path.
bool list_dir(Vfs& vfs, const char* vpath, std::vector<std::string>& names) {
  fs::path host;
  std::error_code ec;
  if (!host_of(vfs, vpath, host) || !fs::is_directory(host, ec)) return false;
  for (const auto& entry : fs::directory_iterator(host, ec)) names.push_back(entry.path().filename().string());
  if (fs::equivalent(host, vfs.rom(), ec)) std::erase(names, std::string("moonbox"));
  if (std::strcmp(vpath, "/") == 0) {
    std::erase(names, std::string(Vfs::kStateDir));
    names.push_back("rom");
    for (const Vfs::Mount& m : vfs.mounts()) names.push_back(m.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return true;
}

int fs_list(lua_State* L) {
  const char* path = check_path(L, 1);
  Vfs& vfs = current_computer(L).vfs();
  bool listed;
  int status = LUA_OK;
  {
    std::vector<std::string> names;
    listed = list_dir(vfs, path, names);
    auto push_names = [&names](lua_State* L1) {
      lua_createtable(L1, static_cast<int>(names.size()), 0);
      for (std::size_t i = 0; i < names.size(); i++) {
        lua_pushlstring(L1, names[i].data(), names[i].size());
        lua_rawseti(L1, -2, static_cast<lua_Integer>(i + 1));
      }
      return 1;
    };
    if (listed) status = protected_call(L, push_names, 1);
  }
  if (!listed) return luaL_error(L, "%s: %s", path, current_computer(L).vfs().exists(path) ? "Not a directory" : "No such file");
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

// ---------------------------------------------------------------- changes

enum class FsError { None, NotFound, ReadOnly, Exists, Failed, OutOfSpace, CopyInside, MoveInside };

const char* fs_error_text(FsError e) {
  switch (e) {
    case FsError::None: return "";
    case FsError::NotFound: return "No such file";
    case FsError::ReadOnly: return "Access denied";
    case FsError::Exists: return "File exists";
    case FsError::Failed: return "Operation failed";
    case FsError::OutOfSpace: return "Out of space";
    case FsError::CopyInside: return "Can't copy a directory inside itself";
    case FsError::MoveInside: return "Can't move a directory inside itself";
  }
  return "";
}

// Makes dir and the parents it lacks, each taking kMinEntrySize of space.
// Plain C++.
bool make_dirs(DiskSpace& space, const fs::path& dir) {
  std::uintmax_t cost = Vfs::missing_dirs(dir) * Vfs::kMinEntrySize;
  if (!space.fits(cost)) return false;
  std::error_code ec;
  fs::create_directories(dir, ec);
  space.add(static_cast<std::intmax_t>(cost - Vfs::missing_dirs(dir) * Vfs::kMinEntrySize));
  return true;
}

FsError make_dir(Vfs& vfs, const char* vpath) {
  fs::path host;
  std::error_code ec;
  if (vfs.is_read_only(vpath)) return FsError::ReadOnly;
  if (!host_of(vfs, vpath, host)) return FsError::ReadOnly;
  if (fs::exists(host, ec) && !fs::is_directory(host, ec)) return FsError::Exists;
  if (!make_dirs(*vfs.space_of(vpath), host)) return FsError::OutOfSpace;
  return fs::is_directory(host, ec) ? FsError::None : FsError::Failed;
}

FsError remove_path(Vfs& vfs, const char* vpath) {
  fs::path host;
  std::error_code ec;
  if (vfs.is_read_only(vpath) || std::strcmp(vpath, "/") == 0 || is_mount_root(vfs, vpath)) return FsError::ReadOnly;
  if (!host_of(vfs, vpath, host)) return FsError::ReadOnly;
  if (!fs::exists(fs::symlink_status(host, ec))) return FsError::None;  // CC: deleting nothing is fine
  std::uintmax_t size = Vfs::cost_of(host);
  fs::remove_all(host, ec);
  vfs.space_of(vpath)->add(-static_cast<std::intmax_t>(size - Vfs::cost_of(host)));  // what went
  if (ec) return FsError::Failed;
  return FsError::None;
}

// True when `inner` is `outer` or inside it, ignoring case as CC does.
bool path_inside(std::string_view outer, std::string_view inner) {
  if (outer == "/") return true;
  if (inner.size() < outer.size()) return false;
  for (std::size_t i = 0; i < outer.size(); i++)
    if (std::tolower(static_cast<unsigned char>(outer[i])) != std::tolower(static_cast<unsigned char>(inner[i])))
      return false;
  return inner.size() == outer.size() || inner[outer.size()] == '/';
}

// The same for host paths: a floppy that is a directory of the computer
// (insertDisk("/a")) makes /disk and /a one directory under two names, so
// "inside itself" is decided where the files really are.
bool host_inside(const fs::path& outer, const fs::path& inner) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

FsError copy_path(Vfs& vfs, const char* from, const char* to, bool move) {
  fs::path src, dst;
  std::error_code ec;
  if (vfs.is_read_only(to) || (move && (vfs.is_read_only(from) || is_mount_root(vfs, from)))) return FsError::ReadOnly;
  if (!host_of(vfs, from, src) || !fs::exists(src, ec)) return FsError::NotFound;
  if (!host_of(vfs, to, dst)) return FsError::ReadOnly;
  if (fs::is_directory(src, ec) && (path_inside(from, to) || host_inside(src, dst)))
    return move ? FsError::MoveInside : FsError::CopyInside;
  if (fs::exists(dst, ec)) return FsError::Exists;
  std::shared_ptr<DiskSpace> from_space = vfs.space_of(from), to_space = vfs.space_of(to);
  std::uintmax_t size = Vfs::cost_of(src);
  // A move within one space takes no room; anything else needs the room
  // where it lands.
  bool same_space = from_space == to_space;
  if ((!move || !same_space) && !to_space->fits(size)) return FsError::OutOfSpace;
  if (!make_dirs(*to_space, dst.parent_path())) return FsError::OutOfSpace;  // as CC does
  if (!move) fs::copy(src, dst, fs::copy_options::recursive, ec);
  else fs::rename(src, dst, ec);
  if (ec) {
    // A partial copy keeps what it wrote, counted as it is.
    if (!move) to_space->add(static_cast<std::intmax_t>(Vfs::cost_of(dst)));
    return FsError::Failed;
  }
  if (!move || !same_space) to_space->add(static_cast<std::intmax_t>(size));
  if (move && !same_space) from_space->add(-static_cast<std::intmax_t>(size));
  return FsError::None;
}

int fs_result(lua_State* L, FsError e, const char* path) {
  if (e != FsError::None) return luaL_error(L, "%s: %s", path, fs_error_text(e));
  return 0;
}

int fs_makeDir(lua_State* L) {
  const char* path = check_path(L, 1);
  return fs_result(L, make_dir(current_computer(L).vfs(), path), path);
}

int fs_delete(lua_State* L) {
  const char* path = check_path(L, 1);
  return fs_result(L, remove_path(current_computer(L).vfs(), path), path);
}

// copy's errors name a path (the source for "inside itself", else the
// destination); move's are bare words, as CC's.
int fs_copy(lua_State* L) {
  const char* from = check_path(L, 1);
  const char* to = check_path(L, 2);
  FsError e = copy_path(current_computer(L).vfs(), from, to, false);
  return fs_result(L, e, e == FsError::CopyInside || e == FsError::NotFound ? from : to);
}

int fs_move(lua_State* L) {
  const char* from = check_path(L, 1);
  const char* to = check_path(L, 2);
  FsError e = copy_path(current_computer(L).vfs(), from, to, true);
  if (e != FsError::None) return luaL_error(L, "%s", fs_error_text(e));
  return 0;
}

// ---------------------------------------------------------------- handles

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

// Drops a leading self argument, so that both h.read() and h:read() work.
void drop_self(lua_State* L) {
  if (lua_istable(L, 1) && lua_rawequal(L, 1, lua_upvalueindex(2))) lua_remove(L, 1);
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
  drop_self(L);
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
  drop_self(L);
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
  drop_self(L);
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
  drop_self(L);
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
  if (writing && ((!exists && !space->fits(Vfs::kMinEntrySize)) || !make_dirs(*space, host->parent_path()))) {
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

const luaL_Reg fs_functions[] = {
    {"list", fs_list},           {"exists", fs_exists},       {"isDir", fs_isDir},
    {"isReadOnly", fs_isReadOnly}, {"getName", fs_getName},   {"getDir", fs_getDir},
    {"getSize", fs_getSize},     {"getFreeSpace", fs_getFreeSpace}, {"getCapacity", fs_getCapacity},
    {"getDrive", fs_getDrive},   {"makeDir", fs_makeDir},     {"move", fs_move},
    {"copy", fs_copy},           {"delete", fs_delete},       {"combine", fs_combine},
    {"open", fs_open},           {"attributes", fs_attributes}, {nullptr, nullptr},
};

}  // namespace

int open_fs(lua_State* L) {
  luaL_newmetatable(L, kHandleMeta);
  lua_pushcfunction(L, locked<handle_gc>);
  lua_setfield(L, -2, "__gc");
  lua_pushliteral(L, "file handle");
  lua_setfield(L, -2, "__name");
  lua_pop(L, 1);
  new_cc_module(L, fs_functions);
  return 1;
}

}  // namespace moonbox
