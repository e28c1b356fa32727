// Speaker's Lua face: its methods, as CC's, over the model in vm/machine/devices/Speaker.h.
#include "vm/machine/devices/Speaker.h"

#include <cmath>
#include <vector>

#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"

namespace moonbox {

namespace {

Speaker& speaker(lua_State* L) { return called_device_as<Speaker>(L); }

double opt_finite(lua_State* L, int arg, double def, double lo, double hi) {
  if (lua_isnoneornil(L, arg)) return def;
  lua_Number n = check_number(L, arg);
  if (!std::isfinite(n)) arg_error(L, arg, "number expected, got non-finite");
  return std::clamp(static_cast<double>(n), lo, hi);
}

int playNote(lua_State* L) {
  const char* name = check_string(L, 1);
  double volume = opt_finite(L, 2, 1.0, 0, 3);
  double pitch = opt_finite(L, 3, 12.0, 0, 24);
  int instrument = Speaker::instrument_index(name);
  if (instrument < 0) cc_error(L, "Invalid instrument, \"%s\"!", name);
  lua_pushboolean(L, speaker(L).play_note(instrument, volume, pitch));
  return 1;
}

// A resource location, [namespace:]path of [a-z0-9_.-/].
bool valid_sound_name(const char* s) {
  bool colon = false;
  if (!*s) return false;
  for (; *s; s++) {
    char c = *s;
    if (c == ':' && !colon) { colon = true; continue; }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '/')) return false;
  }
  return true;
}

int playSound(lua_State* L) {
  const char* name = check_string(L, 1);
  double volume = opt_finite(L, 2, 1.0, 0, 3);
  double pitch = opt_finite(L, 3, 1.0, 0.5, 2);
  if (!valid_sound_name(name)) cc_error(L, "Malformed sound name '%s' ", name);
  lua_pushboolean(L, speaker(L).play_sound(volume, pitch));
  return 1;
}

// Plain C++ around the samples the Lua side has checked.
bool play_samples(Speaker& s, const std::vector<float>& samples) { return s.play_audio(samples); }

int playAudio(lua_State* L) {
  check_table(L, 1);
  double volume = opt_finite(L, 2, 1.0, 0, 3);
  lua_Integer n = luaL_len(L, 1);
  if (n <= 0) cc_error(L, "Cannot play empty audio");
  if (static_cast<std::size_t>(n) > Speaker::kMaxSamples) cc_error(L, "Audio data is too large");
  // Check every sample before any C++ buffer exists (errors are longjmps).
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    int isnum;
    lua_Number v = lua_tonumberx(L, -1, &isnum);
    if (!isnum) cc_error(L, "bad argument #1 (table item #%d is not a number)", static_cast<int>(i));
    if (!(v >= -128 && v <= 127)) cc_error(L, "bad argument #1 (table item #%d must be between -128 and 127)", static_cast<int>(i));
    lua_pop(L, 1);
  }
  Speaker& s = speaker(L);
  bool ok;
  {
    std::vector<float> samples(static_cast<std::size_t>(n));
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, 1, i);
      samples[static_cast<std::size_t>(i - 1)] = static_cast<float>(lua_tonumber(L, -1) / 128.0 * volume / 3.0);
      lua_pop(L, 1);
    }
    ok = play_samples(s, samples);
  }
  lua_pushboolean(L, ok);
  return 1;
}

int stop(lua_State* L) {
  speaker(L).stop();
  return 0;
}

const luaL_Reg kSpeakerMethods[] = {
    {"playNote", playNote}, {"playSound", playSound}, {"playAudio", playAudio}, {"stop", stop}, {nullptr, nullptr},
};

}  // namespace

const bool kSpeakerFaceRegistered = register_device_face("speaker", [](const Peripheral&) { return kSpeakerMethods; });

}  // namespace moonbox
