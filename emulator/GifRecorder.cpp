#include "emulator/GifRecorder.h"

#include <algorithm>
#include <cmath>

#include <gif_lib.h>

#include "emulator/Font.h"

namespace moonbox {

namespace {

ColorMapObject* colour_map(const std::vector<std::uint32_t>& palette) {
  ColorMapObject* map = GifMakeMapObject(16, nullptr);
  if (!map) return nullptr;
  for (int i = 0; i < 16; i++) {
    std::uint32_t rgb = palette[static_cast<std::size_t>(i)];
    map->Colors[i] = GifColorType{static_cast<GifByteType>(rgb >> 16), static_cast<GifByteType>(rgb >> 8),
                                  static_cast<GifByteType>(rgb)};
  }
  return map;
}

std::vector<std::uint32_t> palette_of(const Terminal& t) {
  std::vector<std::uint32_t> p(16);
  for (int i = 0; i < 16; i++) p[static_cast<std::size_t>(i)] = t.palette(i);
  return p;
}

}  // namespace

GifRecorder::~GifRecorder() {
  if (gif_) {
    write_pending(pending_time_);
    int code = 0;
    EGifCloseFile(gif_, &code);
  }
}

bool GifRecorder::start(const std::string& path, const Terminal& t, double now, std::string* error) {
  int code = 0;
  width_ = t.width() * kFontCellW;
  height_ = t.height() * kFontCellH;
  gif_ = EGifOpenFileName(path.c_str(), false, &code);
  if (!gif_) {
    if (error) *error = std::string("cannot write ") + path + ": " + GifErrorString(code);
    return false;
  }
  EGifSetGifVersion(gif_, true);
  palette_ = palette_of(t);
  ColorMapObject* map = colour_map(palette_);
  EGifPutScreenDesc(gif_, width_, height_, 4, 0, map);
  GifFreeMapObject(map);
  // Loop forever (the NETSCAPE2.0 application extension).
  static const GifByteType netscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  static const GifByteType loop[] = {1, 0, 0};
  EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE);
  EGifPutExtensionBlock(gif_, sizeof netscape, netscape);
  EGifPutExtensionBlock(gif_, sizeof loop, loop);
  EGifPutExtensionTrailer(gif_);
  path_ = path;
  frames_ = 0;
  has_pending_ = false;
  started_ = now;
  written_cs_ = 0;
  changed_.assign(static_cast<std::size_t>(t.height()), true);
  raster(t, 0, t.height() - 1);
  pending_palette_ = false;
  pending_time_ = now;
  has_pending_ = true;
  changed_.assign(static_cast<std::size_t>(t.height()), false);
  return true;
}

void GifRecorder::raster(const Terminal& t, int row0, int row1) {
  pending_top_ = row0 * kFontCellH;
  pending_rows_ = (row1 - row0 + 1) * kFontCellH;
  pending_.assign(static_cast<std::size_t>(pending_rows_ * width_), 0);
  for (int y = row0; y <= row1; y++) {
    for (int x = 0; x < t.width(); x++) {
      const Cell& c = t.at(x, y);
      for (int r = 0; r < kFontCellH; r++) {
        std::uint8_t bits = glyph_row(c.ch, r);
        unsigned char* line = &pending_[static_cast<std::size_t>(((y - row0) * kFontCellH + r) * width_ +
                                                                 x * kFontCellW)];
        for (int px = 0; px < kFontCellW; px++) line[px] = (bits & (0x20 >> px)) ? c.fg : c.bg;
      }
    }
  }
}

void GifRecorder::frame(const Terminal& t, const std::vector<bool>& changed_rows, bool palette_changed, double now,
                        bool force) {
  if (!gif_) return;
  if (changed_.size() != static_cast<std::size_t>(t.height())) changed_.assign(static_cast<std::size_t>(t.height()), true);
  for (std::size_t y = 0; y < changed_.size() && y < changed_rows.size(); y++)
    if (changed_rows[y] || palette_changed) changed_[y] = true;
  if (now - pending_time_ < 0.02 && !force) return;  // merged into the next frame
  std::vector<std::uint32_t> palette = palette_of(t);
  bool new_palette = palette != palette_;
  int row0 = -1, row1 = -1;
  for (int y = 0; y < t.height(); y++)
    if (changed_[static_cast<std::size_t>(y)] || new_palette) {
      if (row0 < 0) row0 = y;
      row1 = y;
    }
  if (row0 < 0) return;  // nothing changed: the pending frame just lasts longer
  std::fill(changed_.begin(), changed_.end(), false);
  write_pending(now);
  raster(t, row0, row1);
  if (new_palette) palette_ = palette;
  pending_palette_ = new_palette;
  pending_time_ = now;
  has_pending_ = true;
}

void GifRecorder::write_pending(double until) {
  if (!has_pending_) return;
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  // Centiseconds, counted from the start so that rounding never drifts;
  // browsers show delays under 2 as 10, so never below 2.
  long long end_cs = std::llround((until - started_) * 100);
  int delay = static_cast<int>(std::max(2LL, end_cs - written_cs_));
  written_cs_ += delay;
  gcb.DelayTime = delay;
  GifByteType ext[4];
  std::size_t len = EGifGCBToExtension(&gcb, ext);
  EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(len), ext);
  ColorMapObject* map = pending_palette_ ? colour_map(palette_) : nullptr;
  EGifPutImageDesc(gif_, 0, pending_top_, width_, pending_rows_, false, map);
  if (map) GifFreeMapObject(map);
  for (int y = 0; y < pending_rows_; y++)
    EGifPutLine(gif_, &pending_[static_cast<std::size_t>(y * width_)], width_);
  frames_++;
  has_pending_ = false;
}

int GifRecorder::stop(const Terminal& t, double now) {
  if (!gif_) return 0;
  frame(t, {}, false, std::max(now, pending_time_ + 0.02), true);
  write_pending(std::max(now, pending_time_ + 0.02));
  int code = 0;
  EGifCloseFile(gif_, &code);
  gif_ = nullptr;
  return frames_;
}

}  // namespace moonbox
