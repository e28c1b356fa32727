// check_gif FILE MIN_FRAMES [OUT.png]: reads a recording with giflib, checks
// it has at least MIN_FRAMES frames, and prints its size, frame count and
// total delay. With OUT.png, writes the last frame (all frames composed) as
// a PNG, to look at.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <gif_lib.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: check_gif FILE MIN_FRAMES [OUT.png]\n");
    return 2;
  }
  int error = 0;
  GifFileType* gif = DGifOpenFileName(argv[1], &error);
  if (!gif || DGifSlurp(gif) != GIF_OK) {
    std::fprintf(stderr, "check_gif: cannot read %s: %s\n", argv[1], GifErrorString(gif ? gif->Error : error));
    return 1;
  }
  int width = gif->SWidth, height = gif->SHeight;
  std::vector<unsigned char> rgb(static_cast<std::size_t>(width * height * 3), 0);
  double total_delay = 0;
  for (int i = 0; i < gif->ImageCount; i++) {
    GraphicsControlBlock gcb{};
    if (DGifSavedExtensionToGCB(gif, i, &gcb) == GIF_OK) total_delay += gcb.DelayTime / 100.0;
    const SavedImage& frame = gif->SavedImages[i];
    const ColorMapObject* map = frame.ImageDesc.ColorMap ? frame.ImageDesc.ColorMap : gif->SColorMap;
    for (int y = 0; y < frame.ImageDesc.Height; y++)
      for (int x = 0; x < frame.ImageDesc.Width; x++) {
        int index = frame.RasterBits[y * frame.ImageDesc.Width + x];
        const GifColorType& c = map->Colors[index];
        unsigned char* px = &rgb[static_cast<std::size_t>(((frame.ImageDesc.Top + y) * width + frame.ImageDesc.Left + x) * 3)];
        px[0] = c.Red;
        px[1] = c.Green;
        px[2] = c.Blue;
      }
  }
  std::printf("%s: %dx%d, %d frames, %.2f s\n", argv[1], width, height, gif->ImageCount, total_delay);
  int frames = gif->ImageCount;
  DGifCloseFile(gif, &error);
  if (argc > 3 && !stbi_write_png(argv[3], width, height, 3, rgb.data(), width * 3)) return 1;
  if (frames < std::atoi(argv[2])) {
    std::fprintf(stderr, "check_gif: %d frames, expected at least %s\n", frames, argv[2]);
    return 1;
  }
  return 0;
}
