// os: the ComputerCraft subset (events, timers, clocks) and sleep.
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

#include "vm/lua/Binding.h"
#include "vm/lua/LibHttp.h"
#include "vm/machine/Computer.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

// os.pullEventRaw(filter) is coroutine.yield(filter), as in CC: inside a
// user coroutine it returns to the parent (parallel, hand-written
// schedulers); the main coroutine's yield is a wait for the next event the
// filter accepts (Scheduler::wait_for_event), which the kernel resumes it with.
//
// file_transfer (files dropped on the window) travels as plain data, {files
// = {{name = ..., contents = ...}, ...}}; a program pulling it gets CC's
// TransferredFiles object instead, which rom/moonbox/bios/file_transfer.lua
// builds.
bool is_transfer_data(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING || std::strcmp(lua_tostring(L, 1), "file_transfer") != 0) return false;
  if (lua_type(L, 2) != LUA_TTABLE) return false;
  if (lua_getmetatable(L, 2)) {  // an object already (passed on by a parent coroutine)
    lua_pop(L, 1);
    return false;
  }
  bool files = lua_getfield(L, 2, "files") == LUA_TTABLE;
  lua_pop(L, 1);
  return files;
}

// After the yield: the event as the program sees it.
int pull_raw_k(lua_State* L, int, lua_KContext) {
  if (is_transfer_data(L)) {
    push_needed_bios_chunk(L, "file_transfer");
    lua_pushvalue(L, 2);
    lua_call(L, 1, 1);
    lua_replace(L, 2);
  }
  push_event_handles(L);
  return lua_gettop(L);
}

int os_pullEventRaw(lua_State* L) { return lua_yieldk(L, lua_gettop(L), 0, pull_raw_k); }

// os.pullEvent: the same, but "terminate" raises "Terminated" (without a
// position, as CC's does).
int pull_k(lua_State* L, int status, lua_KContext ctx) {
  pull_raw_k(L, status, ctx);
  if (lua_type(L, 1) == LUA_TSTRING && std::strcmp(lua_tostring(L, 1), "terminate") == 0) {
    lua_pushliteral(L, "Terminated");
    return lua_error(L);
  }
  return lua_gettop(L);
}

int os_pullEvent(lua_State* L) {
  lua_settop(L, 1);
  return lua_yieldk(L, 1, 0, pull_k);
}

int os_queueEvent(lua_State* L) {
  Process& self = current_process(L);
  std::size_t len;
  const char* name = check_string(L, 1, &len);
  std::string_view payload = encode_values(L, 2, lua_gettop(L) - 1, 2, "arg");
  self.kernel().queue_own_event(self, {name, len}, payload);
  return 0;
}

int os_startTimer(lua_State* L) {
  Process& self = current_process(L);
  double t = check_number(L, 1);
  if (!std::isfinite(t)) arg_error(L, 1, "number must be finite");
  Result<int> r = self.kernel().start_timer(self, t);
  if (!r.ok()) return luaL_error(L, "%s", r.message());
  lua_pushinteger(L, r.value);
  return 1;
}

int os_cancelTimer(lua_State* L) {
  Process& self = current_process(L);
  self.kernel().cancel_timer(self, check_integer(L, 1));
  return 0;
}

int os_clock(lua_State* L) {
  lua_pushnumber(L, current_process(L).kernel().now());
  return 1;
}

// "ingame" time follows CC: a day lasts 20 minutes and the computer boots at
// 06:00; "utc" and "local" are the host's wall clock.
enum class Locale { Ingame, Utc, Local };

// The locale argument: "ingame" (the default), "utc" or "local"; anything
// else is CC's "Unsupported operation".
Locale check_locale(lua_State* L, int arg) {
  const char* name = opt_string(L, arg, "ingame");
  static const char* const names[] = {"ingame", "utc", "local"};
  for (int i = 0; i < 3; i++)
    if (std::strcmp(name, names[i]) == 0) return static_cast<Locale>(i);
  cc_error(L, "Unsupported operation");
}

constexpr double kSecondsPerIngameHour = 50.0;  // 24 hours in 20 minutes
// The in-game clock moves in Minecraft's ticks (20 a second, a thousandth
// of an in-game hour each), as CC's: two calls in the same tick agree.
double ingame_hours(double uptime) { return 6.0 + std::floor(uptime * 20.0) / 1000.0; }

// os.setAlarm(time) -> id: an "alarm" event when the in-game clock next
// reaches `time` (hours, 0 <= time < 24), as CC's.
int os_setAlarm(lua_State* L) {
  Process& self = current_process(L);
  double time = check_number(L, 1);
  if (!std::isfinite(time)) arg_error(L, 1, "number must be finite");
  if (time < 0.0 || time >= 24.0) cc_error(L, "Number out of range");
  double now = std::fmod(ingame_hours(self.kernel().now()), 24.0);
  double hours = std::fmod(time - now + 24.0, 24.0);
  Result<int> r = self.kernel().start_alarm(self, hours * kSecondsPerIngameHour);
  if (!r.ok()) return luaL_error(L, "%s", r.message());
  lua_pushinteger(L, r.value);
  return 1;
}

int os_cancelAlarm(lua_State* L) {
  Process& self = current_process(L);
  self.kernel().cancel_alarm(self, check_integer(L, 1));
  return 0;
}

// os.time(locale): hours of the day as a number; os.time(table): the epoch
// seconds of a date, as standard Lua's os.time (upvalue 2).
int os_time(lua_State* L) {
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
  }
  Locale locale = check_locale(L, 1);
  double uptime = current_process(L).kernel().now();
  if (locale == Locale::Ingame) {
    lua_pushnumber(L, std::fmod(ingame_hours(uptime), 24.0));
    return 1;
  }
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  if (locale == Locale::Utc) gmtime_r(&now, &parts);
  else localtime_r(&now, &parts);
  lua_pushnumber(L, parts.tm_hour + parts.tm_min / 60.0 + parts.tm_sec / 3600.0);
  return 1;
}

int os_epoch(lua_State* L) {
  Locale locale = check_locale(L, 1);
  if (locale == Locale::Ingame) {
    double hours = ingame_hours(current_process(L).kernel().now());
    lua_pushinteger(L, static_cast<lua_Integer>(hours * 3600.0 * 1000.0));
    return 1;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  if (locale == Locale::Local) {
    std::time_t now = std::time(nullptr);
    std::tm parts{};
    localtime_r(&now, &parts);
    ms += static_cast<long long>(parts.tm_gmtoff) * 1000;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(ms));
  return 1;
}

// The computer's id and label: one per computer, shared by every process.
int os_getComputerID(lua_State* L) {
  lua_pushinteger(L, current_computer(L).id());
  return 1;
}

int os_getComputerLabel(lua_State* L) {
  const auto& label = current_computer(L).label();
  if (label) lua_pushlstring(L, label->data(), label->size());
  else lua_pushnil(L);
  return 1;
}

// setComputerLabel(label): nil clears it. Kept across boots.
int os_setComputerLabel(lua_State* L) {
  std::size_t len = 0;
  const char* label = lua_isnoneornil(L, 1) ? nullptr : check_string(L, 1, &len);
  current_computer(L).set_label(label ? std::optional<std::string>(std::in_place, label, len) : std::nullopt);
  return 0;
}

int os_shutdown(lua_State* L) {
  current_process(L).kernel().request_power(Kernel::PowerRequest::Shutdown);
  return 0;
}

int os_reboot(lua_State* L) {
  current_process(L).kernel().request_power(Kernel::PowerRequest::Reboot);
  return 0;
}

// CC's version string: programs compare against it.
int os_version(lua_State* L) {
  lua_pushliteral(L, "CraftOS 1.9");
  return 1;
}

// os.day(locale): the in-game day (the computer boots at 06:00 on day 1), or
// days since 1970 for "utc" and "local".
int os_day(lua_State* L) {
  Locale locale = check_locale(L, 1);
  if (locale == Locale::Ingame) {
    double hours = ingame_hours(current_process(L).kernel().now());
    lua_pushinteger(L, 1 + static_cast<lua_Integer>(hours / 24.0));
    return 1;
  }
  std::time_t now = std::time(nullptr);
  if (locale == Locale::Local) {
    std::tm parts{};
    localtime_r(&now, &parts);
    now += parts.tm_gmtoff;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(now / 86400));
  return 1;
}

const luaL_Reg os_functions[] = {
    {"pullEvent", os_pullEvent},
    {"pullEventRaw", os_pullEventRaw},
    {"queueEvent", os_queueEvent},
    {"startTimer", os_startTimer},
    {"cancelTimer", os_cancelTimer},
    {"setAlarm", os_setAlarm},
    {"cancelAlarm", os_cancelAlarm},
    {"clock", os_clock},
    {"time", os_time},
    {"epoch", os_epoch},
    {"getComputerID", os_getComputerID},
    {"computerID", os_getComputerID},
    {"getComputerLabel", os_getComputerLabel},
    {"computerLabel", os_getComputerLabel},
    {"setComputerLabel", os_setComputerLabel},
    {"shutdown", os_shutdown},
    {"reboot", os_reboot},
    {"version", os_version},
    {"day", os_day},
    {nullptr, nullptr},
};

}  // namespace

int open_os(lua_State* L) {
  new_cc_module(L, os_functions);
  // os.date, and os.time(table), are standard Lua's (strftime formats, *t,
  // !*t); nothing else of Lua's os library (execute, remove, getenv...) is
  // kept.
  luaopen_os(L);
  lua_getfield(L, -1, "date");
  lua_setfield(L, -3, "date");
  lua_pushboolean(L, 0);
  lua_getfield(L, -2, "time");
  lua_pushcclosure(L, locked<os_time>, 2);
  lua_setfield(L, -3, "time");
  lua_pop(L, 1);
  return 1;
}


}  // namespace moonbox
