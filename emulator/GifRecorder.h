// GifRecorder: records the terminal as an animated GIF (F3, or --record).
//
// A frame is taken when the window draws one, from what the renderer redrew:
// only the rows that changed are encoded (a GIF frame may cover part of the
// image), at one pixel per font pixel, in the terminal's 16 colours. Each
// frame's delay is the time until the next one, so the timing is kept. It
// runs on the GUI thread after the renderer, never inside the kernel.
#pragma once

#include <string>
#include <vector>

#include "vm/machine/Terminal.h"

struct GifFileType;

namespace moonbox {

class GifRecorder {
 public:
  GifRecorder() = default;
  ~GifRecorder();
  GifRecorder(const GifRecorder&) = delete;
  GifRecorder& operator=(const GifRecorder&) = delete;

  // Starts recording into path; false (with a message) when it cannot.
  bool start(const std::string& path, const Terminal& t, double now, std::string* error);
  bool recording() const { return gif_ != nullptr; }
  // Adds a frame with the rows that changed since the last one (all rows for
  // the first frame, or when the palette changed).
  void frame(const Terminal& t, const std::vector<bool>& changed_rows, bool palette_changed, double now,
             bool force = false);
  // Takes what changed since the last frame, then ends the file; returns
  // the number of frames written.
  int stop(const Terminal& t, double now);
  const std::string& path() const { return path_; }

 private:
  void write_pending(double until);
  void raster(const Terminal& t, int row0, int row1);

  GifFileType* gif_ = nullptr;
  std::string path_;
  int width_ = 0, height_ = 0;
  // The frame waiting for its delay (the time until the next frame).
  std::vector<unsigned char> pending_;
  int pending_top_ = 0, pending_rows_ = 0;  // in pixels
  double pending_time_ = 0;
  bool has_pending_ = false;
  std::vector<std::uint32_t> palette_;
  bool pending_palette_ = false;  // the pending frame carries a colour map of its own
  int frames_ = 0;
  // GIF delays are whole centiseconds of at least 2: frames closer than
  // 20 ms are merged (their changed rows add up), and each delay is taken
  // from the time since the start, so rounding never drifts.
  std::vector<bool> changed_;
  double started_ = 0;
  long long written_cs_ = 0;
};

}  // namespace moonbox
