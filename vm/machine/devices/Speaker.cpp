#include "vm/machine/devices/Speaker.h"

#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"

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

int Speaker::instrument_index(std::string_view name) {
  for (int i = 0; kInstruments[i]; i++)
    if (name == kInstruments[i]) return i;
  return -1;
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
const bool kSpeakerRegistered = register_peripheral_type("speaker", [](Computer&, std::string_view, std::string*) -> std::unique_ptr<Peripheral> {
  return std::make_unique<Speaker>();
});
}  // namespace

}  // namespace moonbox
