// SdlAudio: the speakers' output, through one SDL audio device. Sounds are
// mixed into a timeline that SDL's callback reads from its thread; the
// device opens at the first sound, and a machine without one stays silent.
#pragma once

#include <mutex>
#include <vector>

#include <SDL.h>

#include "vm/machine/World.h"

namespace moonbox {

class SdlAudio final : public AudioOut {
 public:
  SdlAudio() = default;
  ~SdlAudio() override;
  SdlAudio(const SdlAudio&) = delete;
  SdlAudio& operator=(const SdlAudio&) = delete;
  void play(int computer, const std::vector<float>& samples, double delay) override;

 private:
  static void callback(void* self, Uint8* stream, int len);
  bool open();
  SDL_AudioDeviceID device_ = 0;
  bool tried_ = false;
  std::mutex mutex_;
  std::vector<float> timeline_;  // samples still to play, from now on
};

}  // namespace moonbox
