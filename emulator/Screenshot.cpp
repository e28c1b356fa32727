#include "emulator/Screenshot.h"

#include <GL/gl.h>

#include <vector>

#include <stb_image_write.h>

namespace moonbox {

bool save_framebuffer(const std::string& path, int width, int height) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width * height * 3));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  bool bmp = path.size() > 4 && path.substr(path.size() - 4) == ".bmp";
  int ok = bmp ? stbi_write_bmp(path.c_str(), width, height, 3, pixels.data())
               : stbi_write_png(path.c_str(), width, height, 3, pixels.data(), width * 3);
  return ok != 0;
}

}  // namespace moonbox
