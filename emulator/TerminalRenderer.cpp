#include "emulator/TerminalRenderer.h"

#include <GL/gl.h>

namespace moonbox {

namespace {
std::uint32_t rgba(std::uint32_t rgb) {  // 0xRRGGBB -> 0xAABBGGRR (bytes R,G,B,A)
  return 0xFF000000u | ((rgb & 0xFF) << 16) | (rgb & 0xFF00) | ((rgb >> 16) & 0xFF);
}
}  // namespace

TerminalRenderer::~TerminalRenderer() {
  if (texture_) glDeleteTextures(1, &texture_);
}

void TerminalRenderer::draw_cell(const Terminal& t, int x, int y) {
  const Cell& c = t.at(x, y);
  std::uint32_t fg = rgba(t.palette(c.fg)), bg = rgba(t.palette(c.bg));
  for (int row = 0; row < kCellH; row++) {
    std::uint8_t bits = glyph_row(c.ch, row);
    std::uint32_t* line = &pixels_[static_cast<std::size_t>((y * kCellH + row) * width_ + x * kCellW)];
    for (int px = 0; px < kCellW; px++) line[px] = (bits & (0x20 >> px)) ? fg : bg;
  }
}

void TerminalRenderer::draw_row(const Terminal& t, int y) {
  for (int x = 0; x < t.width(); x++) draw_cell(t, x, y);
  upload_rows_[static_cast<std::size_t>(y)] = true;
  rows_redrawn_++;
}

void TerminalRenderer::update_image(Terminal& t) {
  rows_redrawn_ = 0;
  bool all = t.palette_dirty() || width_ != t.width() * kCellW || height_ != t.height() * kCellH;
  if (width_ != t.width() * kCellW || height_ != t.height() * kCellH) {
    width_ = t.width() * kCellW;
    height_ = t.height() * kCellH;
    pixels_.assign(static_cast<std::size_t>(width_ * height_), 0);
  }
  upload_rows_.assign(static_cast<std::size_t>(t.height()), false);
  for (int y = 0; y < t.height(); y++)
    if (all || t.row_dirty(y)) draw_row(t, y);
  t.clear_dirty();
}

void TerminalRenderer::update(Terminal& t) {
  update_image(t);
  upload();
}

void TerminalRenderer::upload() {
  if (width_ == 0 || height_ == 0) return;
  if (!texture_ || tex_w_ != width_ || tex_h_ != height_) {
    if (!texture_) glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width_, height_, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels_.data());
    tex_w_ = width_;
    tex_h_ = height_;
    std::fill(upload_rows_.begin(), upload_rows_.end(), false);
    return;
  }
  glBindTexture(GL_TEXTURE_2D, texture_);
  // Upload runs of changed rows only.
  int rows = height_ / kCellH;
  for (int y = 0; y < rows;) {
    if (!upload_rows_[static_cast<std::size_t>(y)]) { y++; continue; }
    int end = y;
    while (end < rows && upload_rows_[static_cast<std::size_t>(end)]) end++;
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, y * kCellH, width_, (end - y) * kCellH, GL_RGBA, GL_UNSIGNED_BYTE,
                    &pixels_[static_cast<std::size_t>(y * kCellH * width_)]);
    y = end;
  }
  std::fill(upload_rows_.begin(), upload_rows_.end(), false);
}

}  // namespace moonbox
