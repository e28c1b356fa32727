// periphemu (CraftOS-PC's peripheral emulation) and system.peripheral, the
// native half of CC's peripheral API (rom/apis/peripheral.lua wraps it).
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"
#include "vm/machine/devices/Monitor.h"
#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

Computer& computer(lua_State* L) { return current_computer(L); }

void push_names(lua_State* L, const std::vector<std::string>& names) {
  lua_createtable(L, static_cast<int>(names.size()), 0);
  for (std::size_t i = 0; i < names.size(); i++) {
    lua_pushlstring(L, names[i].data(), names[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

// ---------------------------------------------------------------- periphemu

// The name a device is attached as: the side given, or "computer_<id>" for
// a computer given by its id. Pushes it; for a computer, *id is its id.
const char* push_device_name(lua_State* L, int arg, bool computer_type, int* id) {
  *id = -1;
  if (lua_type(L, arg) == LUA_TNUMBER) {
    lua_Integer n = check_integer(L, arg);
    if (!computer_type) type_error(L, arg, "string");
    if (n < 0 || n > 65535) arg_error(L, arg, "computer id out of range");
    *id = static_cast<int>(n);
    return lua_pushfstring(L, "computer_%d", *id);
  }
  std::size_t len;
  const char* name = check_string(L, arg, &len);
  if (len == 0 || len > 64 || std::strlen(name) != len) arg_error(L, arg, "invalid peripheral name");
  if (computer_type && std::strncmp(name, "computer_", 9) == 0) {
    char* end;
    long n = std::strtol(name + 9, &end, 10);
    if (*end == '\0' && end != name + 9 && n >= 0 && n <= 65535) *id = static_cast<int>(n);
  }
  lua_pushvalue(L, arg);
  return lua_tostring(L, -1);
}

// Plain C++: makes and attaches the device; false (with why) if it cannot.
bool create_device(Computer& c, const char* name, const char* type, const char* argument, std::string& why) {
  if (c.peripheral(name)) {
    why = "a peripheral is already attached there";
    return false;
  }
  if (c.peripheral_count() >= defaults::kMaxPeripherals) {
    why = "too many peripherals attached";
    return false;
  }
  std::unique_ptr<Peripheral> device = make_peripheral(c, type, argument, &why);
  if (!device) return false;
  return c.attach(name, std::move(device), argument);
}

// periphemu.create(side, type [, argument]) -> boolean [, reason]
int periphemu_create(lua_State* L) {
  lua_settop(L, 3);
  if (lua_type(L, 1) != LUA_TNUMBER) check_string(L, 1);  // the side comes first in CC's checks
  const char* type = check_string(L, 2);
  bool computer_type = std::strcmp(type, "computer") == 0;
  int id;
  const char* name = push_device_name(L, 1, computer_type, &id);  // at top
  const char* argument = "";
  if (computer_type) {
    if (id < 0) {
      lua_pushboolean(L, 0);
      lua_pushliteral(L, "a computer is attached as its id or computer_<id>");
      return 2;
    }
    argument = lua_pushfstring(L, "%d", id);
  } else if (!lua_isnoneornil(L, 3)) {
    if (lua_type(L, 3) != LUA_TSTRING && lua_type(L, 3) != LUA_TNUMBER) type_error(L, 3, "string");
    argument = lua_tostring(L, 3);
  }
  Computer& c = computer(L);
  bool ok;
  char reason[128] = "";
  {
    std::string why;
    ok = create_device(c, name, type, argument, why);
    std::strncpy(reason, why.c_str(), sizeof reason - 1);
  }
  lua_pushboolean(L, ok);
  if (ok) return 1;
  lua_pushstring(L, reason);
  return 2;
}

// periphemu.remove(side) -> boolean
int periphemu_remove(lua_State* L) {
  lua_settop(L, 1);
  int id;
  const char* name = push_device_name(L, 1, lua_type(L, 1) == LUA_TNUMBER, &id);
  lua_pushboolean(L, computer(L).detach(name));
  return 1;
}

// periphemu.names() -> the types create knows
int periphemu_names(lua_State* L) {
  const auto& types = peripheral_types();
  lua_createtable(L, static_cast<int>(types.size()), 0);
  for (std::size_t i = 0; i < types.size(); i++) {
    lua_pushlstring(L, types[i].data(), types[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  return 1;
}

// setPosition(x, y, z) | setPosition(nil): where this computer is, in
// blocks (a moonbox extra: modem messages then carry CC's distances, and
// gps works); kept in its configuration.
int periphemu_setPosition(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    computer(L).set_position(std::nullopt);
    return 0;
  }
  Position p{check_number(L, 1), check_number(L, 2), check_number(L, 3)};
  if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z)) arg_error(L, 1, "position must be finite");
  computer(L).set_position(p);
  return 0;
}

// getPosition() -> x, y, z | nil
int periphemu_getPosition(lua_State* L) {
  const std::optional<Position>& p = computer(L).position();
  if (!p) return 0;
  lua_pushnumber(L, p->x);
  lua_pushnumber(L, p->y);
  lua_pushnumber(L, p->z);
  return 3;
}

const luaL_Reg periphemu_functions[] = {
    {"create", periphemu_create},
    {"setPosition", periphemu_setPosition},
    {"getPosition", periphemu_getPosition},
    {"remove", periphemu_remove},
    {"names", periphemu_names},
    {nullptr, nullptr},
};

// ---------------------------------------------------------------- system.peripheral

Peripheral* find_device(lua_State* L, int arg) { return computer(L).peripheral(check_string(L, arg)); }

int per_getNames(lua_State* L) {
  Computer& c = computer(L);
  int status;
  {
    std::vector<std::string> names = c.peripheral_names();
    auto push = [&names](lua_State* L1) {
      push_names(L1, names);
      return 1;
    };
    status = protected_call(L, push, 1);
  }
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

int per_isPresent(lua_State* L) {
  lua_pushboolean(L, find_device(L, 1) != nullptr);
  return 1;
}

int per_getType(lua_State* L) {
  Peripheral* p = find_device(L, 1);
  if (!p) return 0;
  lua_pushlstring(L, p->type().data(), p->type().size());
  return 1;
}

int per_getMethods(lua_State* L) {
  Peripheral* p = find_device(L, 1);
  if (!p) return 0;
  lua_newtable(L);
  int i = 0;
  const luaL_Reg* methods = device_methods(*p);
  for (const luaL_Reg* m = methods; m && m->name; m++) {
    lua_pushstring(L, m->name);
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

// call(name, method, ...): runs the method with the device as the calling
// process's current peripheral, in a protected call so that the mark is
// cleared whatever happens, then passes on its results or its error. The
// method may run Lua that detaches the device (a __tostring calling
// periphemu.remove): `pin` keeps the object alive until the method returns,
// and called_device raises once it has been detached.
// The position of the program's call: past the rom's peripheral API
// (peripheral.call and wrapped methods call per_call), as a C function's
// error gets its caller's.
void push_program_where(lua_State* L) {
  int level = 1;
  lua_Debug ar;
  while (lua_getstack(L, level, &ar) && lua_getinfo(L, "S", &ar) &&
         std::strcmp(ar.source, "@/rom/apis/peripheral.lua") == 0)
    level++;
  luaL_where(L, level);
}

// Raises message (a literal format with one %s) at the program's call.
[[noreturn]] void program_error(lua_State* L, const char* fmt, const char* arg) {
  push_program_where(L);
  lua_pushfstring(L, fmt, arg);
  lua_concat(L, 2);
  lua_error(L);
  std::abort();  // lua_error does not return
}

int per_call(lua_State* L) {
  const char* name = check_string(L, 1);
  const char* method = check_string(L, 2);
  enum { kRan, kNoDevice, kNoMethod } outcome = kRan;
  int status = LUA_OK;
  {
    std::shared_ptr<Peripheral> pin = computer(L).peripheral_ref(name);
    lua_CFunction fn = nullptr;
    const luaL_Reg* methods = pin ? device_methods(*pin) : nullptr;
    for (const luaL_Reg* m = methods; m && m->name; m++)
      if (std::strcmp(m->name, method) == 0) fn = m->func;
    if (!pin) outcome = kNoDevice;
    else if (!fn) outcome = kNoMethod;
    else {
      lua_pushboolean(L, 0);  // CC's argument errors: "bad argument #1 (...)"
      lua_pushcclosure(L, fn, 1);
      lua_replace(L, 1);
      lua_remove(L, 2);
      Process& self = current_process(L);
      void* outer = self.calling_device();
      self.set_calling_device(pin.get());
      status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
      self.set_calling_device(outer);
    }
  }  // the pin is let go before any error is raised
  if (outcome == kNoDevice) program_error(L, "No peripheral attached%s", "");
  if (outcome == kNoMethod) program_error(L, "No such method %s", method);
  if (status != LUA_OK) {
    // The method ran under our pcall, so its error has no position yet.
    if (lua_type(L, -1) == LUA_TSTRING) {
      push_program_where(L);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  return lua_gettop(L);
}

// getTerminal(name): the terminal id of a monitor, for system.terminal's
// spawn/post/focus (the monitor program); nil for any other device.
int per_getTerminal(lua_State* L) {
  Peripheral* p = find_device(L, 1);
  if (!p || p->type() != "monitor") return 0;
  lua_pushinteger(L, static_cast<Monitor*>(p)->terminal_id());
  return 1;
}

// show(name): a monitor's window, if closed, is shown again (a moonbox
// extra, for the monitor program); false for any other name.
int per_show(lua_State* L) {
  Peripheral* p = find_device(L, 1);
  bool monitor = p && p->type() == "monitor";
  if (monitor) static_cast<Monitor*>(p)->request_show();
  lua_pushboolean(L, monitor);
  return 1;
}

// rednet.host's table lives in the computer, which answers lookups.
// The table is the host's: names are bounded (kMaxHostName bytes) and so is
// their number (kMaxHostedProtocols).
int per_host(lua_State* L) {
  std::size_t plen, hlen = 0;
  const char* protocol = check_string(L, 1, &plen);
  const char* hostname = lua_isnoneornil(L, 2) ? nullptr : check_string(L, 2, &hlen);
  if (plen > defaults::kMaxHostName) arg_error(L, 1, "protocol name too long");
  if (hlen > defaults::kMaxHostName) arg_error(L, 2, "hostname too long");
  bool kept = true;
  {
    Rednet& r = computer(L).rednet();
    if (hostname) kept = r.host(std::string(protocol, plen), std::string(hostname, hlen));
    else r.unhost(std::string(protocol, plen));
  }
  if (!kept) cc_error(L, "Too many hosted protocols");
  return 0;
}

int per_hostname(lua_State* L) {
  const char* protocol = check_string(L, 1);
  return push_optional_string(L, computer(L).rednet().hostname(protocol));
}

const luaL_Reg peripheral_functions[] = {
    {"getNames", per_getNames},       {"isPresent", per_isPresent}, {"getType", per_getType},
    {"getMethods", per_getMethods},   {"call", per_call},           {"getTerminal", per_getTerminal},
    {"show", per_show},
    {"host", per_host},               {"hostname", per_hostname},   {nullptr, nullptr},
};

}  // namespace

int open_periphemu(lua_State* L) {
  new_cc_module(L, periphemu_functions);
  return 1;
}

int open_peripheral(lua_State* L) {
  new_cc_module(L, peripheral_functions);
  return 1;
}

}  // namespace moonbox
