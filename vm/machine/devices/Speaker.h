// Speaker: CC's speaker. Notes are synthesised, sounds are a short noise
// (moonbox has no Minecraft sounds), and playAudio plays 8-bit PCM at
// 48 kHz. The samples go to the world's AudioOut (SDL audio in the window);
// without one the speaker is silent, but its timing and its
// "speaker_audio_empty" events are the same.
#pragma once

#include <limits>
#include <vector>

#include "vm/machine/Peripheral.h"

namespace moonbox {

class Speaker final : public Peripheral {
 public:
  static constexpr int kRate = 48000;
  static constexpr std::size_t kMaxSamples = 128 * 1024;  // one playAudio, as CC's
  static constexpr double kBufferAhead = 0.5;             // seconds queued before playAudio says false
  static constexpr int kNotesPerTick = 8;                 // CC's limit per game tick (0.05 s)

  std::string_view type() const override { return "speaker"; }
  void tick(double now) override;
  // speaker_audio_empty is due once the queue is down to kBufferAhead.
  double next_tick() const override {
    return want_empty_ ? audio_end_ - kBufferAhead : std::numeric_limits<double>::infinity();
  }

  bool play_note(int instrument, double volume, double pitch);
  // The index of CC's note block instrument `name` ("harp", "bass"...), or -1.
  static int instrument_index(std::string_view name);
  bool play_sound(double volume, double pitch);
  // False when more than kBufferAhead seconds are still queued.
  bool play_audio(const std::vector<float>& samples);
  void stop();

 private:
  void output(const std::vector<float>& samples, double delay = 0);
  double now() const;
  double audio_end_ = 0;        // kernel time when the queued audio ends
  bool want_empty_ = false;     // someone called playAudio since the last event
  double tick_start_ = -1;
  int notes_this_tick_ = 0;
};

}  // namespace moonbox
