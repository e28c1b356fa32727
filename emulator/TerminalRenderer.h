// TerminalRenderer: draws the kernel's Terminal into an OpenGL texture.
//
// It keeps an RGBA image of the screen at one pixel per font pixel, redraws
// only the rows the Terminal marked dirty, uploads only those rows, and lets
// ImGui draw the texture scaled by an integer factor.
#pragma once

#include <cstdint>
#include <vector>

#include "emulator/Font.h"
#include "vm/machine/Terminal.h"

namespace moonbox {

class TerminalRenderer {
 public:
  static constexpr int kCellW = kFontCellW, kCellH = kFontCellH;

  TerminalRenderer() = default;
  ~TerminalRenderer();
  TerminalRenderer(const TerminalRenderer&) = delete;
  TerminalRenderer& operator=(const TerminalRenderer&) = delete;

  // Brings the image up to date with t (CPU side only; no GL needed).
  void update_image(Terminal& t);
  // update_image, then upload.
  void update(Terminal& t);
  // Uploads what changed since the last upload into the GL texture (the
  // window's thread, which owns the GL context).
  void upload();
  unsigned texture() const { return texture_; }
  int image_width() const { return width_; }
  int image_height() const { return height_; }
  const std::vector<std::uint32_t>& pixels() const { return pixels_; }  // 0xAABBGGRR
  int rows_redrawn() const { return rows_redrawn_; }
  // The rows the last update redrew (what a recording encodes).
  const std::vector<bool>& changed_rows() const { return upload_rows_; }

 private:
  void draw_row(const Terminal& t, int y);
  void draw_cell(const Terminal& t, int x, int y);

  std::vector<std::uint32_t> pixels_;
  std::vector<bool> upload_rows_;
  int width_ = 0, height_ = 0;
  unsigned texture_ = 0;
  int tex_w_ = 0, tex_h_ = 0;
  int rows_redrawn_ = 0;
};

}  // namespace moonbox
