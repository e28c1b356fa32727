#include "emulator/SdlAudio.h"

#include <algorithm>
#include <cstring>

namespace moonbox {

namespace {
constexpr int kRate = 48000;
constexpr std::size_t kMaxQueued = kRate * 10;  // at most 10 s ahead: a runaway program stays bounded
}  // namespace

SdlAudio::~SdlAudio() {
  if (device_) SDL_CloseAudioDevice(device_);
}

bool SdlAudio::open() {
  if (tried_) return device_ != 0;
  tried_ = true;
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return false;
  SDL_AudioSpec want{}, have{};
  want.freq = kRate;
  want.format = AUDIO_F32SYS;
  want.channels = 1;
  want.samples = 1024;
  want.callback = &SdlAudio::callback;
  want.userdata = this;
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (device_) SDL_PauseAudioDevice(device_, 0);
  return device_ != 0;
}

void SdlAudio::play(int, const std::vector<float>& samples, double delay) {
  if (!open()) return;
  std::lock_guard lock(mutex_);
  std::size_t at = static_cast<std::size_t>(std::max(0.0, delay) * kRate);
  if (at + samples.size() > kMaxQueued) return;
  if (timeline_.size() < at + samples.size()) timeline_.resize(at + samples.size(), 0.0f);
  for (std::size_t i = 0; i < samples.size(); i++) timeline_[at + i] = std::clamp(timeline_[at + i] + samples[i], -1.0f, 1.0f);
}

void SdlAudio::callback(void* userdata, Uint8* stream, int len) {
  auto* self = static_cast<SdlAudio*>(userdata);
  std::size_t n = static_cast<std::size_t>(len) / sizeof(float);
  auto* out = reinterpret_cast<float*>(stream);
  std::lock_guard lock(self->mutex_);
  std::size_t have = std::min(n, self->timeline_.size());
  std::memcpy(out, self->timeline_.data(), have * sizeof(float));
  std::fill(out + have, out + n, 0.0f);
  self->timeline_.erase(self->timeline_.begin(), self->timeline_.begin() + static_cast<long>(have));
}

}  // namespace moonbox
