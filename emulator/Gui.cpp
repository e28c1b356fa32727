#include "emulator/Gui.h"

#include <SDL.h>
#include <GL/gl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <ctime>
#include <filesystem>
#include <string>

#include <imgui.h>
#include <stb_image.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#include "vm/Computer.h"
#include "emulator/GifRecorder.h"
#include "emulator/InputEvents.h"
#include "emulator/Keys.h"
#include "emulator/Screenshot.h"
#include "emulator/TerminalRenderer.h"
#include "emulator/debugger/Panels.h"

namespace moonbox {

namespace {

// Everything the window's UI needs, in one place (Dear ImGui style).
struct UiState {
  int scale = 2;             // integer pixels per font pixel
  int border = 2;            // font pixels of border around the screen
  float origin_x = 0, origin_y = 0;
  bool debugger = false;     // F12
  bool debugger_changed = true;
  int held_buttons = 0;      // mouse buttons down, for mouse_drag
  int last_cell_x = 0, last_cell_y = 0;
  bool keys_down[512] = {};
  double started = 0;
  bool quit = false;
  GifRecorder recorder;      // F3, or --record
  bool toggle_recording = false;
};

// Where F2's screenshots and F3's recordings go: the data directory's
// screenshots/, named by the time, as CraftOS-PC does.
std::filesystem::path capture_path(const Options& options, const char* extension) {
  char name[64];
  std::time_t now = std::time(nullptr);
  std::strftime(name, sizeof name, "screenshots/%Y-%m-%d_%H.%M.%S", std::localtime(&now));
  std::filesystem::path path = std::filesystem::path(options.data_dir) / (std::string(name) + extension);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  return path;
}

// The cell under window pixel (px, py), 1-based and clamped, as CC reports.
void cell_at(const UiState& ui, const Terminal& t, int px, int py, int& cx, int& cy) {
  float fx = (px - ui.origin_x) / static_cast<float>(ui.scale * TerminalRenderer::kCellW);
  float fy = (py - ui.origin_y) / static_cast<float>(ui.scale * TerminalRenderer::kCellH);
  cx = std::clamp(static_cast<int>(std::floor(fx)) + 1, 1, t.width());
  cy = std::clamp(static_cast<int>(std::floor(fy)) + 1, 1, t.height());
}

int cc_button(Uint8 sdl_button) {
  switch (sdl_button) {
    case SDL_BUTTON_LEFT: return 1;
    case SDL_BUTTON_RIGHT: return 2;
    case SDL_BUTTON_MIDDLE: return 3;
    default: return 0;
  }
}

// Turns one SDL event into kernel input; a request to quit sets ui.quit.
void handle_event(const SDL_Event& e, UiState& ui, Kernel& k, const Options& options, SDL_Window* window) {
  Terminal& t = k.terminal();
  switch (e.type) {
    case SDL_QUIT: ui.quit = true; break;
    case SDL_WINDOWEVENT:
      // The screen keeps its 51x19 cells and is rescaled; programs still
      // hear of the resize, as CC's term_resize.
      if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) k.post_input("term_resize", encode({}));
      break;
    case SDL_KEYDOWN: {
      SDL_Keycode key = e.key.keysym.sym;
      bool ctrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
      if (key == SDLK_F12) {
        ui.debugger = !ui.debugger;
        ui.debugger_changed = true;
        break;
      }
      if (key == SDLK_F2 && !e.key.repeat) {
        int w, h;
        SDL_GL_GetDrawableSize(window, &w, &h);
        save_framebuffer(capture_path(options, ".png").string(), w, h);
        break;
      }
      if (key == SDLK_F3 && !e.key.repeat) {  // start or stop a GIF recording
        ui.toggle_recording = true;
        break;
      }
      if (ctrl && !e.key.repeat) {
        // Job control from the terminal, as a Unix tty does.
        if (key == SDLK_c) { k.signal_foreground(kSigINT); break; }
        if (key == SDLK_BACKSLASH) { k.signal_foreground(kSigQUIT); break; }
        if (key == SDLK_z) { k.signal_foreground(kSigSTOP); break; }
        if (key == SDLK_t) { k.post_input("terminate", encode({})); break; }
        if (key == SDLK_v) {
          if (char* clip = SDL_GetClipboardText()) {
            std::string text = to_cc_chars(std::string_view(clip).substr(0, std::string_view(clip).find_first_of("\r\n")));
            SDL_free(clip);
            if (text.size() > 512) text.resize(512);
            if (!text.empty()) k.post_input("paste", encode_string(text));
          }
          break;
        }
      }
      int code = cc_key_code(key);
      if (code) {
        bool held = code < 512 && ui.keys_down[code];
        if (code < 512) ui.keys_down[code] = true;
        k.post_input("key", encode_key(code, held || e.key.repeat));
      }
      break;
    }
    case SDL_KEYUP: {
      int code = cc_key_code(e.key.keysym.sym);
      if (code) {
        if (code < 512) ui.keys_down[code] = false;
        k.post_input("key_up", encode({code}));
      }
      break;
    }
    case SDL_TEXTINPUT: {
      for (char c : to_cc_chars(e.text.text)) k.post_input("char", encode_string(std::string(1, c)));
      break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
      int button = cc_button(e.button.button);
      if (!button) break;
      int cx, cy;
      cell_at(ui, t, e.button.x, e.button.y, cx, cy);
      bool down = e.type == SDL_MOUSEBUTTONDOWN;
      if (down) ui.held_buttons |= 1 << button;
      else ui.held_buttons &= ~(1 << button);
      ui.last_cell_x = cx;
      ui.last_cell_y = cy;
      k.post_input(down ? "mouse_click" : "mouse_up", encode({button, cx, cy}));
      break;
    }
    case SDL_MOUSEMOTION: {
      if (!ui.held_buttons) break;
      int cx, cy;
      cell_at(ui, t, e.motion.x, e.motion.y, cx, cy);
      if (cx == ui.last_cell_x && cy == ui.last_cell_y) break;
      ui.last_cell_x = cx;
      ui.last_cell_y = cy;
      for (int b = 1; b <= 3; b++)
        if (ui.held_buttons & (1 << b)) k.post_input("mouse_drag", encode({b, cx, cy}));
      break;
    }
    case SDL_MOUSEWHEEL: {
      int mx, my, cx, cy;
      SDL_GetMouseState(&mx, &my);
      cell_at(ui, t, mx, my, cx, cy);
      if (e.wheel.y != 0) k.post_input("mouse_scroll", encode({e.wheel.y > 0 ? -1 : 1, cx, cy}));
      break;
    }
    default: break;
  }
}

// Draws the terminal: the border in the background colour, the screen
// image, and the blinking cursor.
void draw_terminal(UiState& ui, Kernel& k, TerminalRenderer& renderer, int avail_w, int avail_h) {
  Terminal& t = k.terminal();
  int img_w = renderer.image_width(), img_h = renderer.image_height();
  int win_w = avail_w, win_h = avail_h;
  ui.scale = std::max(1, std::min(avail_w / (img_w + 2 * ui.border), avail_h / (img_h + 2 * ui.border)));
  float w = static_cast<float>(img_w * ui.scale), h = static_cast<float>(img_h * ui.scale);
  ui.origin_x = std::floor((static_cast<float>(avail_w) - w) / 2);
  ui.origin_y = std::floor((static_cast<float>(avail_h) - h) / 2);
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  std::uint32_t bg = t.palette(15);
  draw->AddRectFilled(ImVec2(0, 0), ImVec2(static_cast<float>(win_w), static_cast<float>(win_h)),
                      IM_COL32((bg >> 16) & 0xFF, (bg >> 8) & 0xFF, bg & 0xFF, 255));
  ImVec2 a(ui.origin_x, ui.origin_y), b(ui.origin_x + w, ui.origin_y + h);
  draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(renderer.texture())), a, b);
  // The cursor blinks every 0.4 s, drawn as CC's underscore in the text colour.
  bool on = static_cast<long>((k.now() - ui.started) / 0.4) % 2 == 0;
  int cx = t.cursor_x() - 1, cy = t.cursor_y() - 1;
  if (t.cursor_blink() && on && cx >= 0 && cy >= 0 && cx < t.width() && cy < t.height()) {
    std::uint32_t fg = t.palette(t.text_colour());
    float s = static_cast<float>(ui.scale);
    float x0 = ui.origin_x + static_cast<float>(cx * TerminalRenderer::kCellW) * s;
    float y0 = ui.origin_y + static_cast<float>(cy * TerminalRenderer::kCellH + 7) * s;
    draw->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + 6 * s, y0 + s),
                        IM_COL32((fg >> 16) & 0xFF, (fg >> 8) & 0xFF, fg & 0xFF, 255));
  }
}

}  // namespace

namespace {

// True when a window could be seen: a display to open it on, and a video
// driver that is not SDL's offscreen or dummy fallback.
bool has_display() {
  const char* x11 = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  return (x11 && *x11) || (wayland && *wayland);
}

bool invisible_driver() {
  const char* driver = SDL_GetCurrentVideoDriver();
  return driver && (std::strcmp(driver, "offscreen") == 0 || std::strcmp(driver, "dummy") == 0);
}

int no_display() {
  std::fprintf(stderr,
               "moonbox: no display to open a window on (no DISPLAY or WAYLAND_DISPLAY, or only SDL's "
               "offscreen driver); use --headless PROGRAM.lua to run a program without a window, or --cli "
               "for the computer in this terminal\n");
  return 1;
}

}  // namespace

int run_gui(const Options& options) {
  // Without a display the window would be invisible and the program would
  // never end: say so at once (a screenshot needs no display to look at).
  if (options.screenshot.empty() && !has_display()) return no_display();
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "moonbox: cannot start SDL: %s\n", SDL_GetError());
    return 1;
  }
  if (options.screenshot.empty() && invisible_driver()) {
    SDL_Quit();
    return no_display();
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  UiState ui;
  ui.debugger = options.debugger;
  int base_w = (Terminal::kDefaultWidth * TerminalRenderer::kCellW + 2 * ui.border) * ui.scale;
  int base_h = (Terminal::kDefaultHeight * TerminalRenderer::kCellH + 2 * ui.border) * ui.scale;
  SDL_Window* window = SDL_CreateWindow("moonbox", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, base_w, base_h,
                                        SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!window) {
    std::fprintf(stderr, "moonbox: cannot open a window: %s\n", SDL_GetError());
    SDL_Quit();
    return 1;
  }
  // The window icon: assets/ sits next to the rom (source tree and install).
  int iw, ih, in;
  std::string icon_path = options.rom_dir + "/../assets/moonbox.png";
  if (unsigned char* icon = stbi_load(icon_path.c_str(), &iw, &ih, &in, 4)) {
    if (SDL_Surface* s = SDL_CreateRGBSurfaceWithFormatFrom(icon, iw, ih, 32, iw * 4, SDL_PIXELFORMAT_RGBA32)) {
      SDL_SetWindowIcon(window, s);
      SDL_FreeSurface(s);
    }
    stbi_image_free(icon);
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!gl) {
    std::fprintf(stderr, "moonbox: cannot create an OpenGL 3 context: %s\n", SDL_GetError());
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 130");
  SDL_StartTextInput();

  int exit_code = 0;
  {
    TerminalRenderer renderer;
    debugger::DebuggerUi dbg;
    constexpr int kPanelWidth = 780;
    std::unique_ptr<Computer> computer;
    auto boot = [&]() -> bool {
      computer.reset();
      computer = std::make_unique<Computer>(computer_config(options));  // print goes to the terminal
      if (Status booted = computer->boot(boot_request(options, "gui")); !booted.ok()) {
        std::fprintf(stderr, "moonbox: %s\n", booted.message());
        return false;
      }
      return true;
    };
    if (!boot()) exit_code = 1;
    auto wall_start = std::chrono::steady_clock::now();
    auto wall = [&wall_start] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    };
    auto start_recording = [&](const std::string& path) {
      std::string error;
      if (!computer || !ui.recorder.start(path, computer->kernel().terminal(), wall(), &error))
        std::fprintf(stderr, "moonbox: %s\n", error.c_str());
    };
    if (!options.record.empty()) start_recording(options.record);
    ui.debugger_changed = true;
    ui.started = computer ? computer->kernel().now() : 0;
    bool screenshot_done = false;
    std::vector<double> frame_ms;
    auto last_frame = std::chrono::steady_clock::now();
    while (computer && !ui.quit) {
      SDL_Event e;
      while (SDL_PollEvent(&e)) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        handle_event(e, ui, computer->kernel(), options, window);
      }
      Kernel& k = computer->kernel();
      if (ui.debugger_changed) {
        // Make room for the panels beside the terminal (or give it back), and
        // keep whole messages for the inspector only while it can be seen.
        ui.debugger_changed = false;
        int cur_w, cur_h;
        SDL_GetWindowSize(window, &cur_w, &cur_h);
        if (ui.debugger && cur_w < base_w + kPanelWidth) SDL_SetWindowSize(window, base_w + kPanelWidth, std::max(cur_h, 640));
        if (!ui.debugger && cur_w >= base_w + kPanelWidth) SDL_SetWindowSize(window, base_w, base_h);
        k.trace().set_capture(ui.debugger);
      }
      k.run_for(ui.debugger ? dbg.budget_ms / 1000.0 : 0.008);  // the kernel's share of a frame
      if (k.power_request() == Kernel::PowerRequest::Shutdown) break;
      if (k.power_request() == Kernel::PowerRequest::Reboot) {
        computer->end_processes({kSigHUP, kSigTERM, kSigKILL}, 0.5);
        if (!boot()) { exit_code = 1; break; }
        continue;
      }
      renderer.update(k.terminal());
      if (ui.toggle_recording) {
        ui.toggle_recording = false;
        if (ui.recorder.recording()) {
          int frames = ui.recorder.stop(k.terminal(), wall());
          std::fprintf(stderr, "moonbox: recorded %d frames to %s\n", frames, ui.recorder.path().c_str());
        } else {
          start_recording(capture_path(options, ".gif").string());
        }
      }
      if (ui.recorder.recording()) ui.recorder.frame(k.terminal(), renderer.changed_rows(), false, wall());

      int w, h;
      SDL_GL_GetDrawableSize(window, &w, &h);
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      ImGui::NewFrame();
      // The terminal keeps 2x if it can; the panels get the rest.
      int term_2x = base_w;
      int term_w = ui.debugger ? std::clamp(w - kPanelWidth, std::min(term_2x, w / 2), term_2x) : w;
      draw_terminal(ui, k, renderer, term_w, h);
      if (ui.debugger) dbg.draw(k, static_cast<float>(term_w), 0, static_cast<float>(w - term_w), static_cast<float>(h));
      ImGui::Render();
      glViewport(0, 0, w, h);
      glClearColor(0, 0, 0, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      double elapsed = k.now() - ui.started;
      if (options.quit_after > 0 && elapsed >= options.quit_after) {
        if (!options.screenshot.empty() && !screenshot_done) {
          if (!save_framebuffer(options.screenshot, w, h)) {
            std::fprintf(stderr, "moonbox: cannot write %s\n", options.screenshot.c_str());
            exit_code = 1;
          }
          screenshot_done = true;
        }
        ui.quit = true;
      }
      SDL_GL_SwapWindow(window);
      if (options.frame_stats) {
        auto now = std::chrono::steady_clock::now();
        frame_ms.push_back(std::chrono::duration<double, std::milli>(now - last_frame).count());
        last_frame = now;
      }
      if (!k.has_ready()) SDL_Delay(4);  // nothing to run: don't spin
    }
    if (options.frame_stats && frame_ms.size() > 2) {
      frame_ms.erase(frame_ms.begin());  // the first frame includes start-up
      std::sort(frame_ms.begin(), frame_ms.end());
      double sum = 0;
      for (double f : frame_ms) sum += f;
      std::printf("frames %zu  mean %.2f ms (%.0f fps)  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", frame_ms.size(),
                  sum / static_cast<double>(frame_ms.size()), 1000.0 * static_cast<double>(frame_ms.size()) / sum,
                  frame_ms[frame_ms.size() / 2], frame_ms[frame_ms.size() * 99 / 100], frame_ms.back());
    }
    if (ui.recorder.recording() && computer) ui.recorder.stop(computer->kernel().terminal(), wall());
    // Closing the window: SIGHUP, then SIGTERM, then SIGKILL.
    if (computer) computer->end_processes({kSigHUP, kSigTERM, kSigKILL}, 0.5);
    computer.reset();
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return exit_code;
}

}  // namespace moonbox
