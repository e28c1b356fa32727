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
#include "vm/lua/LibFs.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace fs = std::filesystem;

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

// Plain C++: no Lua calls, so C++ objects are safe in it.
bool host_of(Vfs& vfs, const char* vpath, fs::path& out) {
  auto p = vfs.host_path(vpath);
  if (!p) return false;
  out = std::move(*p);
  return true;
}

// Makes dir and the parents it lacks, each taking kMinEntrySize of space
// (the data directory itself, made on the first write, takes none).
// Plain C++.
bool make_dirs(const Vfs& vfs, DiskSpace& space, const fs::path& dir) {
  vfs.ensure_root();
  std::uintmax_t cost = Vfs::missing_dirs(dir) * Vfs::kMinEntrySize;
  if (!space.fits(cost)) return false;
  std::error_code ec;
  fs::create_directories(dir, ec);
  space.add(static_cast<std::intmax_t>(cost - Vfs::missing_dirs(dir) * Vfs::kMinEntrySize));
  return true;
}

namespace {

// ---------------------------------------------------------------- paths


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


FsError make_dir(Vfs& vfs, const char* vpath) {
  fs::path host;
  std::error_code ec;
  if (vfs.is_read_only(vpath)) return FsError::ReadOnly;
  if (!host_of(vfs, vpath, host)) return FsError::ReadOnly;
  if (fs::exists(host, ec) && !fs::is_directory(host, ec)) return FsError::Exists;
  if (!make_dirs(vfs, *vfs.space_of(vpath), host)) return FsError::OutOfSpace;
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
  if (!make_dirs(vfs, *to_space, dst.parent_path())) return FsError::OutOfSpace;  // as CC does
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
  register_handle_type(L);
  new_cc_module(L, fs_functions);
  return 1;
}

}  // namespace moonbox
