#include "vm/devices/Drive.h"

#include <charconv>
#include <cstring>
#include <fstream>

#include "vm/Computer.h"
#include "vm/World.h"
#include "vm/lib/Binding.h"

namespace moonbox {

namespace fs = std::filesystem;

namespace {

fs::path floppy_dir(Computer& c, int id) { return c.shared_dir() / "disk" / std::to_string(id); }

// A numbered floppy exists, or the world has room for another.
bool floppy_allowed(Computer& c, int id) { return !c.world() || c.world()->floppy_allowed(id); }

// Plain C++: inserts the directory vpath of the drive's computer (not the
// rom, not another floppy) as a floppy; false when it is not one.
bool insert_directory(Drive& d, const char* vpath) {
  Vfs& vfs = d.computer().vfs();
  if (std::string_view(vpath) == "/" || vfs.is_read_only(vpath) || vfs.mount_of(vpath)) return false;
  std::optional<fs::path> host = vfs.host_path(vpath);
  std::error_code ec;
  if (!host || !fs::is_directory(*host, ec)) return false;
  d.insert(std::nullopt, *host);
  return true;
}

}  // namespace

void Drive::attached() {
  // periphemu.create(side, "drive", N) starts with floppy N inside;
  // periphemu.create(side, "drive", "path") with that directory of the
  // computer's own file system (as insertDisk("path")).
  int id = 0;
  const std::string& arg = argument();
  if (arg.empty()) return;
  auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
  if (ec == std::errc() && end == arg.data() + arg.size() && id >= 0) {
    if (floppy_allowed(computer(), id)) insert(id, floppy_dir(computer(), id));
  }
  else insert_directory(*this, Vfs::normalize(arg).c_str());
}

void Drive::detaching() { eject(false); }

void Drive::insert(std::optional<int> id, const fs::path& host) {
  if (present()) eject(true);
  std::error_code ec;
  fs::create_directories(host, ec);
  fs::path where = fs::weakly_canonical(host, ec);
  World* w = computer().world();
  std::shared_ptr<DiskSpace> space = w ? w->floppy_space(where, kFloppyCapacity)
                                       : std::make_shared<DiskSpace>(kFloppyCapacity, Vfs::tree_bytes(where));
  mount_ = computer().vfs().mount_disk(where, name(), std::move(space));
  disk_id_ = id;
  label_.reset();
  post_event("disk");
}

void Drive::eject(bool announce) {
  if (!present()) return;
  computer().vfs().unmount(mount_);
  mount_.clear();
  disk_id_.reset();
  label_.reset();
  if (announce) post_event("disk_eject");
}

fs::path Drive::label_file() const {
  return computer().shared_dir() / "disk" / (std::to_string(disk_id_.value_or(0)) + ".label");
}

std::optional<std::string> Drive::label() const {
  if (!present()) return std::nullopt;
  if (!disk_id_) return label_;
  std::string saved;
  if (read_host_file(label_file().string(), saved) && !saved.empty()) return saved;
  return std::nullopt;
}

void Drive::set_label(std::optional<std::string> label) {
  if (!present()) return;
  if (label && label->size() > 32) label->resize(32);  // CC's limit, as for computer labels
  if (label && label->empty()) label.reset();
  if (!disk_id_) {
    label_ = std::move(label);
    return;
  }
  std::error_code ec;
  if (!label) {
    fs::remove(label_file(), ec);
    return;
  }
  fs::create_directories(label_file().parent_path(), ec);
  std::ofstream(label_file(), std::ios::binary | std::ios::trunc) << *label;
}

// ---------------------------------------------------------------- methods

namespace {

Drive& drive(lua_State* L) { return Peripheral::called_as<Drive>(L); }

int isDiskPresent(lua_State* L) {
  lua_pushboolean(L, drive(L).present());
  return 1;
}

int getDiskLabel(lua_State* L) {
  std::optional<std::string> label = drive(L).label();
  if (!label) return 0;
  lua_pushlstring(L, label->data(), label->size());
  return 1;
}

void keep_label(Drive& d, const char* label, std::size_t len) {
  d.set_label(label ? std::optional<std::string>(std::string(label, len)) : std::nullopt);
}

int setDiskLabel(lua_State* L) {
  std::size_t len = 0;
  const char* label = lua_isnoneornil(L, 1) ? nullptr : check_string(L, 1, &len);
  keep_label(drive(L), label, std::min<std::size_t>(len, 32));
  return 0;
}

int hasData(lua_State* L) {
  lua_pushboolean(L, drive(L).present());
  return 1;
}

int getMountPath(lua_State* L) {
  Drive& d = drive(L);
  if (!d.present()) return 0;
  lua_pushlstring(L, d.mount_name().data(), d.mount_name().size());
  return 1;
}

int hasAudio(lua_State* L) {
  drive(L);
  lua_pushboolean(L, 0);  // floppies hold data, not music
  return 1;
}

// false with nothing inserted, nil for a floppy (no music), as CC.
int getAudioTitle(lua_State* L) {
  if (drive(L).present()) return 0;
  lua_pushboolean(L, 0);
  return 1;
}

int noAudio(lua_State* L) {
  drive(L);
  return 0;
}

int ejectDisk(lua_State* L) {
  drive(L).eject(true);
  return 0;
}

int getDiskID(lua_State* L) {
  std::optional<int> id = drive(L).disk_id();
  if (!id) return 0;
  lua_pushinteger(L, *id);
  return 1;
}

// insertDisk(id | path), CraftOS-PC's: floppy `id`, or a directory of this
// computer's file system.
int insertDisk(lua_State* L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_Integer id = check_integer(L, 1);
    if (id < 0 || id > 1000000000) cc_error(L, "Disk ID out of range");
    Drive& d = drive(L);
    if (!floppy_allowed(d.computer(), static_cast<int>(id))) cc_error(L, "Too many floppies in this world");
    d.insert(static_cast<int>(id), floppy_dir(d.computer(), static_cast<int>(id)));
    return 0;
  }
  if (lua_type(L, 1) != LUA_TSTRING) type_error(L, 1, "number or string");
  std::size_t len;
  const char* given = lua_tolstring(L, 1, &len);
  if (std::strlen(given) != len) arg_error(L, 1, "path contains a NUL byte");
  const char* vpath = push_normalized_path(L, given, "/");
  if (!insert_directory(drive(L), vpath)) cc_error(L, "%s: Not a directory", vpath);
  return 0;
}

const luaL_Reg kMethods[] = {
    {"isDiskPresent", isDiskPresent}, {"getDiskLabel", getDiskLabel}, {"setDiskLabel", setDiskLabel},
    {"hasData", hasData},             {"getMountPath", getMountPath}, {"hasAudio", hasAudio},
    {"getAudioTitle", getAudioTitle}, {"playAudio", noAudio},         {"stopAudio", noAudio},
    {"ejectDisk", ejectDisk},         {"getDiskID", getDiskID},       {"insertDisk", insertDisk},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* Drive::methods() const { return kMethods; }

}  // namespace moonbox
