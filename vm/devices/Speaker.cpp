#include "vm/devices/Speaker.h"

#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

#include "vm/Computer.h"
#include "vm/World.h"
#include "vm/lib/Binding.h"

namespace moonbox {

namespace {

// CC's note block instruments, by index.
const char* const kInstruments[] = {"harp",   "basedrum", "snare",          "hat",     "bass",       "flute",
                                    "bell",   "guitar",   "chime",          "xylophone", "iron_xylophone",
                                    "cow_bell", "didgeridoo", "bit",        "banjo",   "pling",      nullptr};

// A tone for a note: pitch 0..24 is F#3..F#5, as a note block's.
std::vector<float> synth_note(int instrument, double volume, double pitch) {
  double freq = 185.0 * std::pow(2.0, pitch / 12.0);
  if (std::strcmp(kInstruments[instrument], "bass") == 0 || std::strcmp(kInstruments[instrument], "didgeridoo") == 0)
    freq /= 4;
  std::size_t n = Speaker::kRate / 2;
  std::vector<float> out(n);
  double amp = std::min(volume, 3.0) / 3.0 * 0.5;
  bool square = std::strcmp(kInstruments[instrument], "bit") == 0;
  for (std::size_t i = 0; i < n; i++) {
    double t = static_cast<double>(i) / Speaker::kRate;
    double phase = std::sin(2 * std::numbers::pi * freq * t);
    double wave = square ? (phase >= 0 ? 1.0 : -1.0) * 0.6 : phase;
    out[i] = static_cast<float>(amp * wave * std::exp(-6.0 * t));
  }
  return out;
}

std::vector<float> synth_noise(double volume, double pitch) {
  static std::mt19937 noise{12345};
  std::uniform_real_distribution<float> d(-1, 1);
  std::size_t n = static_cast<std::size_t>(Speaker::kRate * 0.15 / std::max(0.5, pitch));
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; i++)
    out[i] = d(noise) * static_cast<float>(std::min(volume, 3.0) / 6.0 * std::exp(-20.0 * static_cast<double>(i) / Speaker::kRate));
  return out;
}

}  // namespace

double Speaker::now() const { return computer().kernel().now(); }

void Speaker::output(const std::vector<float>& samples, double delay) {
  if (World* w = computer().world(); w && w->audio) w->audio->play(computer().id(), samples, delay);
}

bool Speaker::play_note(int instrument, double volume, double pitch) {
  double t = now();
  if (tick_start_ < 0 || t - tick_start_ >= 0.05) {
    tick_start_ = t;
    notes_this_tick_ = 0;
  }
  if (notes_this_tick_ >= kNotesPerTick) return false;
  notes_this_tick_++;
  output(synth_note(instrument, volume, pitch));
  return true;
}

bool Speaker::play_sound(double volume, double pitch) {
  output(synth_noise(volume, pitch));
  return true;
}

bool Speaker::play_audio(const std::vector<float>& samples) {
  double t = now();
  want_empty_ = true;
  if (audio_end_ - t > kBufferAhead) return false;
  double start = std::max(audio_end_, t);
  audio_end_ = start + static_cast<double>(samples.size()) / kRate;
  output(samples, start - t);
  return true;
}

void Speaker::stop() { audio_end_ = now(); }

void Speaker::tick(double t) {
  if (!want_empty_ || audio_end_ - t > kBufferAhead) return;
  want_empty_ = false;
  post_event("speaker_audio_empty");
}

// ---------------------------------------------------------------- methods

namespace {

Speaker& speaker(lua_State* L) { return Peripheral::called_as<Speaker>(L); }

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
  int instrument = -1;
  for (int i = 0; kInstruments[i]; i++)
    if (std::strcmp(kInstruments[i], name) == 0) instrument = i;
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

const luaL_Reg kMethods[] = {
    {"playNote", playNote}, {"playSound", playSound}, {"playAudio", playAudio}, {"stop", stop}, {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* Speaker::methods() const { return kMethods; }

}  // namespace moonbox
