// The fs binding's parts shared by its two files: LibFs.cpp (paths,
// attributes, changes) and LibFsHandle.cpp (fs.open's handles).
#pragma once

#include <filesystem>

#include <lua.hpp>

namespace moonbox {

class DiskSpace;
class Vfs;

// The normalised virtual path of argument arg. As in CC, fs paths are
// relative to the root ("a/b" is "/a/b"), whatever the process's working
// directory. Pushes it and returns it.
const char* check_path(lua_State* L, int arg);
// The host path of virtual path vpath; false when it has none.
bool host_of(Vfs& vfs, const char* vpath, std::filesystem::path& out);
// Creates the missing directories up to host directory `dir`, each costing
// CC's minimum entry size of `space`; false when it has no room.
bool make_dirs(const Vfs& vfs, DiskSpace& space, const std::filesystem::path& dir);
// fs.open(path, mode)
int fs_open(lua_State* L);
// The handles' metatable, made once per state before fs.open runs.
void register_handle_type(lua_State* L);

}  // namespace moonbox
