// Drive's Lua face: its methods, as CC's, over the model in vm/machine/devices/Drive.h.
#include "vm/machine/devices/Drive.h"

#include <cstring>

#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"

namespace moonbox {

namespace {

Drive& drive(lua_State* L) { return called_device_as<Drive>(L); }

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
    if (!drive(L).insert_floppy(static_cast<int>(id))) cc_error(L, "Too many floppies in this world");
    return 0;
  }
  if (lua_type(L, 1) != LUA_TSTRING) type_error(L, 1, "number or string");
  std::size_t len;
  const char* given = lua_tolstring(L, 1, &len);
  if (std::strlen(given) != len) arg_error(L, 1, "path contains a NUL byte");
  const char* vpath = push_normalized_path(L, given, "/");
  if (!drive(L).insert_directory(vpath)) cc_error(L, "%s: Not a directory", vpath);
  return 0;
}

const luaL_Reg kDriveMethods[] = {
    {"isDiskPresent", isDiskPresent}, {"getDiskLabel", getDiskLabel}, {"setDiskLabel", setDiskLabel},
    {"hasData", hasData},             {"getMountPath", getMountPath}, {"hasAudio", hasAudio},
    {"getAudioTitle", getAudioTitle}, {"playAudio", noAudio},         {"stopAudio", noAudio},
    {"ejectDisk", ejectDisk},         {"getDiskID", getDiskID},       {"insertDisk", insertDisk},
    {nullptr, nullptr},
};

}  // namespace

const bool kDriveFaceRegistered = register_device_face("drive", [](const Peripheral&) { return kDriveMethods; });

}  // namespace moonbox
