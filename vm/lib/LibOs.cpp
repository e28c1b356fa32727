// os: the ComputerCraft subset (events, timers, clocks) and sleep.
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

#include "vm/lib/Binding.h"
#include "vm/Computer.h"
#include "vm/lib/Sandbox.h"

namespace moonbox {

namespace {

// Takes the first event the frame's event blocker accepts (its filter has
// discarded the system events before it). "terminate" raises, as in CC.
int pull_k(lua_State* L, int, lua_KContext) {
  Process& self = current_process(L);
  Kernel& k = self.kernel();
  const EventBlocker& b = *self.blocker().as<EventBlocker>();
  std::size_t i = 0;
  while (!b.accepts(self.mailbox().at(i))) i++;
  const Event& e = self.mailbox().at(i);
  bool terminate = e.kind == EventKind::System && !b.raw && e.name == "terminate";
  k.unblock(self);
  if (terminate) {
    k.discard_event(self, i);
    lua_pushliteral(L, "Terminated");  // CC raises it without a position
    return lua_error(L);
  }
  return k.take_event(L, self, i, EventView::Os);
}

bool is_input_event(const char* name) {
  static const char* const input[] = {"char", "key", "key_up", "paste", "mouse_click", "mouse_up",
                                      "mouse_drag", "mouse_scroll"};
  for (const char* n : input)
    if (std::strcmp(name, n) == 0) return true;
  return false;
}

int pull_wait(lua_State* L, bool raw) {
  Process& self = current_process(L);
  const char* filter = opt_string(L, 1, nullptr);
  self.kernel().block(self, EventBlocker{filter ? filter : "", raw}, -1);
  lua_settop(L, 0);
  if (self.blocker().satisfied(self)) return pull_k(L, LUA_OK, 0);
  return yield_to_kernel(L, pull_k);
}

int pull_after_ttin(lua_State* L, int, lua_KContext raw) { return pull_wait(L, raw != 0); }

int pull(lua_State* L, bool raw) {
  Process& self = current_process(L);
  const char* filter = opt_string(L, 1, nullptr);
  // A background process that asks for terminal input gets SIGTTIN (which
  // stops it unless it handles the signal), as on Unix; then it waits.
  if (filter && is_input_event(filter) && self.kernel().stop_for_input(self) && lua_isyieldable(L))
    return yield_to_kernel(L, pull_after_ttin, raw ? 1 : 0);
  return pull_wait(L, raw);
}

int os_pullEvent(lua_State* L) { return pull(L, false); }
int os_pullEventRaw(lua_State* L) { return pull(L, true); }

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

Locale check_locale(lua_State* L, int arg) {
  static const char* const names[] = {"ingame", "utc", "local", nullptr};
  return static_cast<Locale>(check_option(L, arg, "ingame", names));
}

double ingame_hours(double uptime) { return 6.0 + uptime / 50.0; }

int os_time(lua_State* L) {
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
  lua_pushinteger(L, current_process(L).kernel().computer().id());
  return 1;
}

int os_getComputerLabel(lua_State* L) {
  const auto& label = current_process(L).kernel().computer().label();
  if (label) lua_pushlstring(L, label->data(), label->size());
  else lua_pushnil(L);
  return 1;
}

// setComputerLabel(label): nil clears it. Kept across boots.
int os_setComputerLabel(lua_State* L) {
  Process& self = current_process(L);
  std::size_t len = 0;
  const char* label = lua_isnoneornil(L, 1) ? nullptr : check_string(L, 1, &len);
  self.kernel().computer().set_label(label ? std::optional<std::string>(std::in_place, label, len) : std::nullopt);
  return 0;
}

int sleep_k(lua_State* L, int, lua_KContext) {
  Process& self = current_process(L);
  self.kernel().unblock(self);
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

int os_version(lua_State* L) {
  lua_pushliteral(L, "moonbox 0.1");
  return 1;
}

const luaL_Reg os_functions[] = {
    {"pullEvent", os_pullEvent},
    {"pullEventRaw", os_pullEventRaw},
    {"queueEvent", os_queueEvent},
    {"startTimer", os_startTimer},
    {"cancelTimer", os_cancelTimer},
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
    {nullptr, nullptr},
};

}  // namespace

// sleep(seconds): always gives up the processor, even for 0 seconds, and
// leaves queued events where they are (unlike CC's, which drops them).
int lib_sleep(lua_State* L) {
  Process& self = current_process(L);
  double seconds = opt_number(L, 1, 0);
  if (std::isnan(seconds)) arg_error(L, 1, "number expected, got nan");
  self.kernel().block(self, SleepBlocker{}, seconds > 0 ? seconds : 0);
  return yield_to_kernel(L, sleep_k);
}

int open_os(lua_State* L) {
  new_module(L, os_functions);
  lua_pushcfunction(L, lib_sleep);
  lua_setfield(L, -2, "sleep");
  return 1;
}

void open_sleep(lua_State* L) {
  lua_pushcfunction(L, lib_sleep);
  lua_setglobal(L, "sleep");
}

}  // namespace moonbox
