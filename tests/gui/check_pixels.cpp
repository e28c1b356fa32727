// Checks pixels of a moonbox screenshot against expected palette colours.
//
// usage: check_pixels SHOT.png EXPECT_FILE
//        check_pixels --populated SHOT.png X0 Y0 X1 Y1 MIN
//   (the second form: the region given in fractions of the screenshot holds
//   at least MIN drawn pixels, i.e. pixels with a channel above 100: text,
//   lines and arrows on ImGui's dark background)
//        check_pixels --colour SHOT.png X0 Y0 X1 Y1 RRGGBB MIN
//   (the region holds at least MIN pixels of exactly that colour)
// Each line of EXPECT_FILE: CELL_X CELL_Y PX PY RRGGBB [comment]: the pixel
// (PX, PY) inside terminal cell (CELL_X, CELL_Y) (1-based cells, 0-based
// font pixels) must have that colour. The terminal's placement is found the
// way the window computes it: the largest integer scale that fits 51x19
// cells of 6x9 pixels plus a 2-pixel border, centred.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <stb_image.h>

namespace {
// A region of the screenshot argv[2], given in fractions by argv[3..6]: how
// many of its pixels `hit` takes. False when the image cannot be read.
struct Region {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0, w = 0, h = 0;
  long count = 0;
};
template <class Hit>
bool count_in_region(char** argv, Hit hit, Region& r) {
  int n;
  unsigned char* img = stbi_load(argv[2], &r.w, &r.h, &n, 3);
  if (!img) return false;
  r.x0 = static_cast<int>(std::atof(argv[3]) * r.w), r.y0 = static_cast<int>(std::atof(argv[4]) * r.h);
  r.x1 = static_cast<int>(std::atof(argv[5]) * r.w), r.y1 = static_cast<int>(std::atof(argv[6]) * r.h);
  for (int y = r.y0; y < r.y1; y++)
    for (int x = r.x0; x < r.x1; x++)
      if (hit(img + (y * r.w + x) * 3)) r.count++;
  stbi_image_free(img);
  return true;
}

int populated(int argc, char** argv) {
  if (argc != 8) return 2;
  long min = std::atol(argv[7]);
  Region r;
  if (!count_in_region(argv, [](const unsigned char* p) { return p[0] > 100 || p[1] > 100 || p[2] > 100; }, r))
    return 1;
  std::printf("region %d,%d-%d,%d of %dx%d: %ld drawn pixels (need %ld)\n", r.x0, r.y0, r.x1, r.y1, r.w, r.h,
              r.count, min);
  return r.count >= min ? 0 : 1;
}

int coloured(int argc, char** argv) {
  if (argc != 9) return 2;
  unsigned long rgb = std::strtoul(argv[7], nullptr, 16);
  long min = std::atol(argv[8]);
  Region r;
  auto same = [rgb](const unsigned char* p) {
    return p[0] == ((rgb >> 16) & 255) && p[1] == ((rgb >> 8) & 255) && p[2] == (rgb & 255);
  };
  if (!count_in_region(argv, same, r)) return 1;
  std::printf("region %d,%d-%d,%d: %ld pixels of %06lx (need %ld)\n", r.x0, r.y0, r.x1, r.y1, r.count, rgb, min);
  return r.count >= min ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--populated") return populated(argc, argv);
  if (argc > 1 && std::string(argv[1]) == "--colour") return coloured(argc, argv);
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
