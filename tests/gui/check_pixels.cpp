// Checks pixels of a moonbox screenshot against expected palette colours.
//
// usage: check_pixels SHOT.png EXPECT_FILE
// Each line of EXPECT_FILE: CELL_X CELL_Y PX PY RRGGBB [comment]: the pixel
// (PX, PY) inside terminal cell (CELL_X, CELL_Y) (1-based cells, 0-based
// font pixels) must have that colour. The terminal's placement is found the
// way the window computes it: the largest integer scale that fits 51x19
// cells of 6x9 pixels plus a 2-pixel border, centred.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <stb_image.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: check_pixels SHOT.png EXPECT_FILE\n");
    return 2;
  }
  int w, h, n;
  unsigned char* img = stbi_load(argv[1], &w, &h, &n, 3);
  if (!img) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  const int img_w = 51 * 6, img_h = 19 * 9, border = 2;
  int scale = std::max(1, std::min(w / (img_w + 2 * border), h / (img_h + 2 * border)));
  int ox = (w - img_w * scale) / 2, oy = (h - img_h * scale) / 2;
  std::printf("screenshot %dx%d, scale %d, origin %d,%d\n", w, h, scale, ox, oy);
  std::ifstream expect(argv[2]);
  std::string line;
  int failures = 0, checked = 0;
  while (std::getline(expect, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    int cx, cy, px, py;
    std::string hex;
    in >> cx >> cy >> px >> py >> hex;
    unsigned want = static_cast<unsigned>(std::strtoul(hex.c_str(), nullptr, 16));
    // the centre of the font pixel, in window pixels
    int x = ox + ((cx - 1) * 6 + px) * scale + scale / 2;
    int y = oy + ((cy - 1) * 9 + py) * scale + scale / 2;
    if (x < 0 || y < 0 || x >= w || y >= h) {
      std::printf("FAIL cell %d,%d: outside the screenshot\n", cx, cy);
      failures++;
      continue;
    }
    const unsigned char* p = img + (y * w + x) * 3;
    unsigned got = (p[0] << 16) | (p[1] << 8) | p[2];
    checked++;
    if (got != want) {
      std::printf("FAIL cell %d,%d pixel %d,%d: got %06X, want %06X  %s\n", cx, cy, px, py, got, want, line.c_str());
      failures++;
    }
  }
  stbi_image_free(img);
  std::printf("%d passed, %d failed\n", checked - failures, failures);
  return failures == 0 && checked > 0 ? 0 : 1;
}
