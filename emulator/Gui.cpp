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
#include <memory>
#include <string>

#include <imgui.h>
#include <stb_image.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#include <stb_image_write.h>

#include "vm/machine/World.h"
#include "vm/machine/WorldRunner.h"
#include "vm/machine/devices/Monitor.h"
#include "emulator/Dap.h"
#include "emulator/FileDrop.h"
#include "emulator/GifRecorder.h"
#include "emulator/InputEvents.h"
#include "emulator/Keys.h"
#include "emulator/PagePng.h"
#include "emulator/Screenshot.h"
#include "emulator/SdlAudio.h"
#include "emulator/TerminalRenderer.h"
#include "emulator/debugger/Panels.h"

namespace moonbox {

namespace {

// The cursor's blink: on and off every kBlinkPeriod seconds, as CC's.
constexpr double kBlinkPeriod = 0.4;
// Frames drawn at full pace after anything changed, before an idle window
// waits for events.
constexpr int kSettleFrames = 3;
// The longest an idle window waits between two frames.
constexpr double kIdleFrameWait = 0.25;

// Where a terminal is drawn in a window, and the input state that goes
// with it (every computer window has its own keyboard and mouse).
struct ScreenView {
  float scale = 2;           // window pixels per font pixel
  float origin_x = 0, origin_y = 0;
  float area_w = 0, area_h = 0;  // the part of the window the terminal has (the panels have the rest)
  int held_buttons = 0;      // mouse buttons down, for mouse_drag
  int last_cell_x = 0, last_cell_y = 0;
  bool keys_down[512] = {};
};

// Everything the window's UI needs, in one place (Dear ImGui style).
struct UiState {
  ScreenView main;           // computer 0, in the main window
  int border = 2;            // font pixels of border around the screen
  bool debugger = false;     // F12
  bool debugger_changed = true;
  double started = 0;
  bool quit = false;
  GifRecorder recorder;      // F3, or --record
  bool toggle_recording = false;
  std::string toast;         // a short message over the terminal (show_toast)
  long busy_frames = 0;      // frames that showed the busy screen (--frame-stats)
  // With the debugger: where the left column (the terminal, the traffic log
  // under it) ends, and where the process table ends in the right column,
  // once the user has dragged a panel's border (0: the default).
  float split_x = 0, split_y = 0;
  double toast_until = 0;    // SDL seconds
  // What of the main window's input went to computer 0 rather than the
  // panels, so that its release goes there too (nothing stays held).
  bool key_to_computer[512] = {};
  int buttons_to_computer = 0;
};

// A new file for a screenshot or a recording, named by the time, in the
// user's pictures (captures_dir): never inside a computer's own files.
std::filesystem::path capture_path(const Options& options, const char* extension) {
  char name[64];
  std::time_t now = std::time(nullptr);
  std::strftime(name, sizeof name, "moonbox-%Y-%m-%d_%H.%M.%S", std::localtime(&now));
  std::filesystem::path dir = captures_dir(options);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::filesystem::path path = dir / (std::string(name) + extension);
  for (int n = 2; std::filesystem::exists(path, ec); n++) path = dir / (std::string(name) + "-" + std::to_string(n) + extension);
  return path;
}

// Window pixels per font pixel for a terminal image in an area: the largest
// whole number that fits with the border, or less than 1 (smoothly) when
// not even 1x fits, so that the terminal is never cropped.
float screen_scale(int avail_w, int avail_h, int img_w, int img_h, int border) {
  float scale = std::min(static_cast<float>(avail_w) / static_cast<float>(img_w + 2 * border),
                         static_cast<float>(avail_h) / static_cast<float>(img_h + 2 * border));
  return scale >= 1 ? std::floor(scale) : std::max(scale, 0.05f);
}

// Where the terminal and the panels go with the debugger shown, in a w x h
// window: the terminal at the top left at the largest whole scale that fits
// its column (2x from 1280x720 up), the traffic log under it, the process
// table at the top right and the sequence chart under it. The two splits
// follow the user's drags (UiState::split_x, split_y).
struct MainLayout {
  int term_w = 0, term_h = 0;  // the terminal's area, at the top left
  debugger::PanelLayout panels;
};

MainLayout main_layout(const UiState& ui, int w, int h, int img_w, int img_h) {
  MainLayout out;
  if (!ui.debugger) {
    out.term_w = w;
    out.term_h = h;
    return out;
  }
  const int frame_w = img_w + 2 * ui.border, frame_h = img_h + 2 * ui.border;  // the terminal at 1x
  int left = ui.split_x > 0 ? static_cast<int>(ui.split_x) : (w >= 2 * frame_w + 560 ? 2 * frame_w : w / 2);
  left = std::clamp(left, std::min(frame_w + 20, w / 2), std::max(w - 420, w / 2));
  float scale = screen_scale(left, std::max(h - 220, frame_h), img_w, img_h, ui.border);
  out.term_w = left;
  out.term_h = std::min(h, static_cast<int>(std::ceil(static_cast<float>(frame_h) * scale)));
  float top = ui.split_y > 0 ? ui.split_y : static_cast<float>(h) * 0.5f;
  top = std::clamp(top, 150.0f, std::max(150.0f, static_cast<float>(h) - 150.0f));
  auto f = [](int v) { return static_cast<float>(v); };
  out.panels.traffic = {0, f(out.term_h), f(left), f(h - out.term_h)};
  out.panels.processes = {f(left), 0, f(w - left), top};
  out.panels.sequence = {f(left), top, f(w - left), f(h) - top};
  return out;
}

// A panel whose border the user dragged moves the splits for the next frame.
// (Only while the button is held: ImGui also moves a panel to keep it on
// the screen, as when the window grows to make room for the panels.)
void follow_drags(UiState& ui, const debugger::PanelLayout& was, const debugger::PanelLayout& now) {
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;
  if (now.processes.x != was.processes.x) ui.split_x = now.processes.x;
  else if (now.traffic.w != was.traffic.w) ui.split_x = now.traffic.w;
  else if (now.sequence.x != was.sequence.x) ui.split_x = now.sequence.x;
  if (now.processes.h != was.processes.h) ui.split_y = now.processes.h;
  else if (now.sequence.y != was.sequence.y) ui.split_y = now.sequence.y;
}

// A short message over the terminal for a few seconds (where a screenshot
// or a recording went).
void show_toast(UiState& ui, std::string text) {
  ui.toast = std::move(text);
  ui.toast_until = static_cast<double>(SDL_GetTicks()) / 1000.0 + 3.0;
}

void draw_toast(const UiState& ui, float width, float height) {
  if (ui.toast.empty() || static_cast<double>(SDL_GetTicks()) / 1000.0 > ui.toast_until) return;
  ImGui::SetNextWindowPos(ImVec2(8, height - 8), ImGuiCond_Always, ImVec2(0, 1));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(width - 16, height));
  ImGui::SetNextWindowBgAlpha(0.85f);
  ImGui::Begin("##toast", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoInputs |
                   ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushTextWrapPos(width - 32);
  ImGui::TextUnformatted(ui.toast.c_str());
  ImGui::PopTextWrapPos();
  ImGui::End();
}

// The cell under window pixel (px, py), 1-based and clamped, as CC reports.
void cell_at(const ScreenView& view, const Terminal& t, int px, int py, int& cx, int& cy) {
  float fx = (static_cast<float>(px) - view.origin_x) / (view.scale * TerminalRenderer::kCellW);
  float fy = (static_cast<float>(py) - view.origin_y) / (view.scale * TerminalRenderer::kCellH);
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

bool is_keyboard(const SDL_Event& e) {
  return e.type == SDL_KEYDOWN || e.type == SDL_KEYUP || e.type == SDL_TEXTINPUT;
}

// Where a computer window's input goes: straight to its kernel while the
// host holds the world, or into the world's queue (World::queue_input)
// while the world is busy with a process stuck in C.
struct InputSink {
  virtual ~InputSink() = default;
  virtual void post(const char* name, std::string payload) = 0;
  virtual void signal(int sig) = 0;
};

struct KernelSink final : InputSink {
  explicit KernelSink(Kernel& k) : kernel(k) {}
  void post(const char* name, std::string payload) override { kernel.post_input(name, payload); }
  void signal(int sig) override { kernel.signal_foreground(sig); }
  Kernel& kernel;
};

struct QueueSink final : InputSink {
  QueueSink(World& w, int id) : world(w), computer(id) {}
  void post(const char* name, std::string payload) override { world.queue_input({computer, 0, name, std::move(payload)}); }
  void signal(int sig) override { world.queue_input({computer, sig, {}, {}}); }
  World& world;
  int computer;
};

// Turns one SDL event of a computer's window into input for its kernel, as
// CC's events: keys (with job control), text, paste, the mouse.
// t is the computer's terminal (for the mouse's cells); null when it cannot
// be read now, and then the mouse is left out (returns false).
bool computer_input(const SDL_Event& e, ScreenView& view, const Terminal* t, InputSink& k) {
  switch (e.type) {
    case SDL_KEYDOWN: {
      SDL_Keycode key = e.key.keysym.sym;
      bool ctrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
      if (ctrl && !e.key.repeat) {
        // Job control from the terminal, as a Unix tty does.
        if (key == SDLK_c) { k.signal(kSigINT); break; }
        if (key == SDLK_BACKSLASH) { k.signal(kSigQUIT); break; }
        if (key == SDLK_z) { k.signal(kSigSTOP); break; }
        if (key == SDLK_t) { k.post("terminate", encode({})); break; }
        if (key == SDLK_v) {
          if (char* clip = SDL_GetClipboardText()) {
            std::string text = to_cc_chars(std::string_view(clip).substr(0, std::string_view(clip).find_first_of("\r\n")));
            SDL_free(clip);
            if (text.size() > 512) text.resize(512);
            if (!text.empty()) k.post("paste", encode_string(text));
          }
          break;
        }
      }
      int code = cc_key_code(key);
      if (code) {
        bool held = code < 512 && view.keys_down[code];
        if (code < 512) view.keys_down[code] = true;
        k.post("key", encode_key(code, held || e.key.repeat));
      }
      break;
    }
    case SDL_KEYUP: {
      int code = cc_key_code(e.key.keysym.sym);
      if (code) {
        if (code < 512) view.keys_down[code] = false;
        k.post("key_up", encode({code}));
      }
      break;
    }
    case SDL_TEXTINPUT: {
      for (char c : to_cc_chars(e.text.text)) k.post("char", encode_string(std::string(1, c)));
      break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
      if (!t) return false;
      int button = cc_button(e.button.button);
      if (!button) break;
      int cx, cy;
      cell_at(view, *t, e.button.x, e.button.y, cx, cy);
      bool down = e.type == SDL_MOUSEBUTTONDOWN;
      if (down) view.held_buttons |= 1 << button;
      else view.held_buttons &= ~(1 << button);
      view.last_cell_x = cx;
      view.last_cell_y = cy;
      k.post(down ? "mouse_click" : "mouse_up", encode({button, cx, cy}));
      break;
    }
    case SDL_MOUSEMOTION: {
      if (!view.held_buttons) break;
      if (!t) return false;
      int cx, cy;
      cell_at(view, *t, e.motion.x, e.motion.y, cx, cy);
      if (cx == view.last_cell_x && cy == view.last_cell_y) break;
      view.last_cell_x = cx;
      view.last_cell_y = cy;
      for (int b = 1; b <= 3; b++)
        if (view.held_buttons & (1 << b)) k.post("mouse_drag", encode({b, cx, cy}));
      break;
    }
    case SDL_MOUSEWHEEL: {
      if (!t) return false;
      int mx, my, cx, cy;
      SDL_GetMouseState(&mx, &my);
      cell_at(view, *t, mx, my, cx, cy);
      if (e.wheel.y != 0) k.post("mouse_scroll", encode({e.wheel.y > 0 ? -1 : 1, cx, cy}));
      break;
    }
    // A resized window keeps the terminal's cells and rescales them: the
    // computer's terminal stays 51x19, so programs hear no term_resize (CC
    // sends it only when the terminal's own size changes).
    default: break;
  }
  return true;
}

// Whether an event of the main window is computer 0's. Not when the
// debugger's panels want it: ImGui wants the keyboard (a text field is
// being edited), the pointer is outside the terminal's area, or a panel's
// menu is open (a click anywhere closes it). The pointer's place decides,
// not WantCaptureMouse, which describes where it was at the last frame. The
// release of a key or button whose press went to the computer goes there
// too.
bool for_computer(const SDL_Event& e, UiState& ui) {
  const ImGuiIO& io = ImGui::GetIO();
  auto in_terminal = [&ui](int x, int y) {
    return static_cast<float>(x) < ui.main.area_w && static_cast<float>(y) < ui.main.area_h &&
           !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
  };
  bool panels = ui.debugger;
  switch (e.type) {
    case SDL_KEYDOWN: {
      bool mine = !panels || !io.WantCaptureKeyboard;
      int code = cc_key_code(e.key.keysym.sym);
      if (mine && code > 0 && code < 512) ui.key_to_computer[code] = true;
      return mine;
    }
    case SDL_KEYUP: {
      int code = cc_key_code(e.key.keysym.sym);
      bool mine = code > 0 && code < 512 && ui.key_to_computer[code];
      if (mine) ui.key_to_computer[code] = false;
      return mine;
    }
    case SDL_TEXTINPUT: return !panels || !io.WantCaptureKeyboard;
    case SDL_MOUSEBUTTONDOWN: {
      bool mine = !panels || in_terminal(e.button.x, e.button.y);
      if (mine) ui.buttons_to_computer |= 1 << cc_button(e.button.button);
      return mine;
    }
    case SDL_MOUSEBUTTONUP: {
      int bit = 1 << cc_button(e.button.button);
      bool mine = (ui.buttons_to_computer & bit) != 0;
      ui.buttons_to_computer &= ~bit;
      return mine;
    }
    case SDL_MOUSEMOTION: return ui.buttons_to_computer != 0;  // a drag the computer began
    case SDL_MOUSEWHEEL: {
      int x, y;
      SDL_GetMouseState(&x, &y);
      return !panels || in_terminal(x, y);
    }
    default: return true;
  }
}

// The main window's own keys (F12, F2, F3) and closing; false when the
// event is not one of them.
bool main_window_event(const SDL_Event& e, UiState& ui, const Options& options, SDL_Window* window) {
  if (e.type == SDL_QUIT || (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE)) {
    ui.quit = true;
    return true;
  }
  if (e.type != SDL_KEYDOWN) return false;
  SDL_Keycode key = e.key.keysym.sym;
  if (key == SDLK_F12) {
    ui.debugger = !ui.debugger;
    ui.debugger_changed = true;
    return true;
  }
  if (key == SDLK_F2) {
    if (!e.key.repeat) {
      int w, h;
      SDL_GL_GetDrawableSize(window, &w, &h);
      std::string path = capture_path(options, ".png").string();
      show_toast(ui, save_framebuffer(path, w, h) ? "Screenshot saved to " + path : "Cannot write " + path);
    }
    return true;
  }
  if (key == SDLK_F3) {  // start or stop a GIF recording
    if (!e.key.repeat) ui.toggle_recording = true;
    return true;
  }
  return false;
}

// The window an input event belongs to (0 when it has none).
Uint32 event_window(const SDL_Event& e) {
  switch (e.type) {
    case SDL_KEYDOWN:
    case SDL_KEYUP: return e.key.windowID;
    case SDL_TEXTINPUT: return e.text.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return e.button.windowID;
    case SDL_MOUSEMOTION: return e.motion.windowID;
    case SDL_MOUSEWHEEL: return e.wheel.windowID;
    case SDL_WINDOWEVENT: return e.window.windowID;
    default: return 0;
  }
}

// Files dropped on a window, gathered until the drop is complete.
struct PendingDrop {
  Uint32 window = 0;
  std::vector<std::string> paths;
};

// ---------------------------------------------------------------- other windows

// A window of its own for a computer other than 0, or for a monitor of any
// computer. Drawn with SDL's software renderer, so the main window's OpenGL
// context (ImGui's) is never disturbed.
struct ExtraScreen {
  int computer = 0;
  std::string monitor;  // "" for the computer's own screen
  SDL_Window* window = nullptr;
  SDL_Renderer* renderer = nullptr;
  SDL_Texture* texture = nullptr;
  int tex_w = 0, tex_h = 0;
  TerminalRenderer image;
  ScreenView view;
  bool hidden = false;       // a monitor's window closed by the user: the monitor stays attached
  unsigned shown_for = 0;    // the monitor's show requests seen so far

  ExtraScreen() = default;
  ExtraScreen(const ExtraScreen&) = delete;
  ExtraScreen& operator=(const ExtraScreen&) = delete;
  ~ExtraScreen() {
    if (texture) SDL_DestroyTexture(texture);
    if (renderer) SDL_DestroyRenderer(renderer);
    if (window) SDL_DestroyWindow(window);
  }
  // "computer 2", "monitor left of computer 0": the title, and the name of
  // its screenshot.
  std::string title() const {
    std::string title = "moonbox - ";
    if (!monitor.empty()) title.append("monitor ").append(monitor).append(" of ");
    return title.append("computer ").append(std::to_string(computer));
  }
};

// The terminal a window shows, or null when its computer is off or its
// monitor is gone.
Terminal* screen_terminal(World& world, const ExtraScreen& s) {
  Computer* c = world.computer(s.computer);
  if (!c) return nullptr;
  if (s.monitor.empty()) return &c->terminal();
  Peripheral* p = c->peripheral(s.monitor);
  return p ? p->terminal() : nullptr;
}

std::unique_ptr<ExtraScreen> open_screen(int computer, std::string monitor, const Terminal& t, int border) {
  auto s = std::make_unique<ExtraScreen>();
  s->computer = computer;
  s->monitor = std::move(monitor);
  float scale = t.width() > 60 ? 1.0f : 2.0f;
  int w = static_cast<int>(scale * static_cast<float>(t.width() * TerminalRenderer::kCellW + 2 * border));
  int h = static_cast<int>(scale * static_cast<float>(t.height() * TerminalRenderer::kCellH + 2 * border));
  s->window = SDL_CreateWindow(s->title().c_str(), SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h,
                               SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!s->window) return nullptr;
  // Never smaller than its terminal at 1x (a smaller window showed a crop).
  SDL_SetWindowMinimumSize(s->window, static_cast<int>(static_cast<float>(w) / scale), static_cast<int>(static_cast<float>(h) / scale));
  s->renderer = SDL_CreateRenderer(s->window, -1, SDL_RENDERER_SOFTWARE);
  if (!s->renderer) return nullptr;
  return s;
}

// Opens a window for each computer turned on and each monitor attached,
// and closes those whose terminal is gone.
void sync_screens(World& world, std::vector<std::unique_ptr<ExtraScreen>>& screens, int border) {
  std::erase_if(screens, [&world](const auto& s) { return screen_terminal(world, *s) == nullptr; });
  auto has = [&screens](int computer, const std::string& monitor) {
    for (const auto& s : screens)
      if (s->computer == computer && s->monitor == monitor) return true;
    return false;
  };
  for (int id : world.ids()) {
    Computer& c = *world.computer(id);
    if (id != world.host_id() && !has(id, "")) {
      if (auto s = open_screen(id, "", c.terminal(), border)) screens.push_back(std::move(s));
    }
    for (const std::string& name : c.peripheral_names()) {
      Peripheral* p = c.peripheral(name);
      if (p->terminal() && !has(id, name))
        if (auto s = open_screen(id, name, *p->terminal(), border)) {
          if (auto* m = dynamic_cast<Monitor*>(p)) s->shown_for = m->show_requests();
          screens.push_back(std::move(s));
        }
    }
  }
  // A program asked for a monitor's window again (the monitor program).
  for (auto& s : screens) {
    auto* m = s->monitor.empty() ? nullptr : dynamic_cast<Monitor*>(world.computer(s->computer)->peripheral(s->monitor));
    if (!m || m->show_requests() == s->shown_for) continue;
    s->shown_for = m->show_requests();
    if (s->hidden) {
      SDL_ShowWindow(s->window);
      SDL_RaiseWindow(s->window);
      s->hidden = false;
    }
  }
}

// While the world is busy (a process stuck in C): queues what it can of
// `input` for the world to deliver at its next chance (World::queue_input),
// in order: keys and text for any computer window, the mouse in the main
// window (whose terminal the caller has locked for reading). What needs the
// world itself (a closed window, a touch on a monitor) stays in `input`
// with everything after it, for the next visit.
void queue_busy_input(std::vector<SDL_Event>& input, World& world, ScreenView& main_view, Uint32 main_id,
                      const Terminal& main_terminal, const std::vector<std::unique_ptr<ExtraScreen>>& screens) {
  std::size_t done = 0;
  for (; done < input.size(); done++) {
    const SDL_Event& e = input[done];
    Uint32 target = event_window(e);
    if (target == main_id || target == 0) {
      QueueSink sink(world, 0);
      if (!computer_input(e, main_view, &main_terminal, sink)) break;
      continue;
    }
    auto screen = std::find_if(screens.begin(), screens.end(),
                               [target](const auto& s) { return SDL_GetWindowID(s->window) == target; });
    if (screen == screens.end()) continue;  // a window already gone: as on a visit, its input is dropped
    if (!is_keyboard(e)) break;
    QueueSink sink(world, (*screen)->computer);
    computer_input(e, (*screen)->view, nullptr, sink);
  }
  input.erase(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(done));
}

// The input of a window other than the main one: a computer's goes to its
// kernel, a click on a monitor is a monitor_touch, keys typed on a monitor
// go to its computer; closing a computer's window turns it off, closing a
// monitor's hides it (the monitor stays attached: `detach` removes it, and
// `monitor NAME PROGRAM` shows the window again).
void screen_input(const SDL_Event& e, World& world, ExtraScreen& s) {
  Computer* c = world.computer(s.computer);
  Terminal* t = screen_terminal(world, s);
  if (!c || !t) return;
  if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) {
    if (s.monitor.empty()) {
      world.request_shutdown(s.computer);
    } else {
      SDL_HideWindow(s.window);
      s.hidden = true;
    }
    return;
  }
  // Keys typed on a monitor's window go to its computer (a monitor has no
  // keyboard of its own); clicks are touches.
  if (s.monitor.empty() || is_keyboard(e)) {
    KernelSink sink(c->kernel());
    computer_input(e, s.view, t, sink);
    return;
  }
  if (e.type == SDL_MOUSEBUTTONDOWN && cc_button(e.button.button)) {
    int cx, cy;
    cell_at(s.view, *t, e.button.x, e.button.y, cx, cy);
    if (auto* m = dynamic_cast<Monitor*>(c->peripheral(s.monitor))) m->touch(cx, cy);
  }
}

// A drop of files on a window (SDL sends a begin, one event per file, and a
// complete): one file_transfer event for the window's computer, queued for
// the world's thread, which delivers it at its next chance. A drop that
// cannot be read whole is refused with a toast; nothing is half sent.
void file_dropped(const SDL_Event& e, PendingDrop& drop, World& world, Uint32 main_id,
                  const std::vector<std::unique_ptr<ExtraScreen>>& screens, UiState& ui) {
  if (e.type == SDL_DROPBEGIN) {
    drop = {e.drop.windowID, {}};
    return;
  }
  if (e.type == SDL_DROPFILE) {
    if (e.drop.file) {
      if (drop.paths.size() < 256) drop.paths.emplace_back(e.drop.file);
      SDL_free(e.drop.file);
    }
    if (!drop.window) drop.window = e.drop.windowID;
    return;
  }
  PendingDrop done = std::move(drop);
  drop = {};
  if (done.paths.empty()) return;
  int computer = world.host_id();
  if (done.window != main_id && done.window != 0) {
    auto screen = std::find_if(screens.begin(), screens.end(),
                               [&](const auto& s) { return SDL_GetWindowID(s->window) == done.window; });
    if (screen == screens.end()) return;
    computer = (*screen)->computer;
  }
  std::string error;
  std::string payload = file_transfer_payload(done.paths, defaults::kMessageLimit, error);
  if (payload.empty()) {
    show_toast(ui, error);
    return;
  }
  world.queue_input({computer, 0, "file_transfer", std::move(payload)});
}

// Draws a window's terminal, fitted to the window, with the cursor.
void draw_screen(ExtraScreen& s, Terminal& t, double now, int border) {
  s.image.update_image(t);
  int iw = s.image.image_width(), ih = s.image.image_height();
  if (!s.texture || s.tex_w != iw || s.tex_h != ih) {
    if (s.texture) SDL_DestroyTexture(s.texture);
    s.texture = SDL_CreateTexture(s.renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STREAMING, iw, ih);
    s.tex_w = iw;
    s.tex_h = ih;
  }
  if (!s.texture) return;
  SDL_UpdateTexture(s.texture, nullptr, s.image.pixels().data(), iw * 4);
  int ww, wh;
  SDL_GetRendererOutputSize(s.renderer, &ww, &wh);
  float scale = screen_scale(ww, wh, iw, ih, border);
  s.view.scale = scale;
  s.view.origin_x = std::floor((static_cast<float>(ww) - static_cast<float>(iw) * scale) / 2);
  s.view.origin_y = std::floor((static_cast<float>(wh) - static_cast<float>(ih) * scale) / 2);
  std::uint32_t bg = t.palette(15);
  SDL_SetRenderDrawColor(s.renderer, (bg >> 16) & 0xFF, (bg >> 8) & 0xFF, bg & 0xFF, 255);
  SDL_RenderClear(s.renderer);
  SDL_FRect dst{s.view.origin_x, s.view.origin_y, static_cast<float>(iw) * scale, static_cast<float>(ih) * scale};
  SDL_RenderCopyF(s.renderer, s.texture, nullptr, &dst);
  bool on = static_cast<long>(now / 0.4) % 2 == 0;
  int cx = t.cursor_x() - 1, cy = t.cursor_y() - 1;
  if (t.cursor_blink() && on && cx >= 0 && cy >= 0 && cx < t.width() && cy < t.height()) {
    std::uint32_t fg = t.palette(t.text_colour());
    SDL_SetRenderDrawColor(s.renderer, (fg >> 16) & 0xFF, (fg >> 8) & 0xFF, fg & 0xFF, 255);
    SDL_FRect bar{s.view.origin_x + static_cast<float>(cx * TerminalRenderer::kCellW) * scale,
                  s.view.origin_y + static_cast<float>(cy * TerminalRenderer::kCellH + 7) * scale, 6 * scale, scale};
    SDL_RenderFillRectF(s.renderer, &bar);
  }
}

// Saves what a window shows beside the main screenshot: shot.png gives
// shot-computer2.png, shot-monitor-left-0.png (monitor left of computer 0).
bool save_screen(ExtraScreen& s, const std::string& main_path) {
  std::filesystem::path p(main_path);
  std::string suffix = s.monitor.empty() ? std::string("-computer") : std::string("-monitor-").append(s.monitor).append("-");
  suffix.append(std::to_string(s.computer));
  std::filesystem::path out = p.parent_path() / (p.stem().string() + suffix + ".png");
  int w, h;
  SDL_GetRendererOutputSize(s.renderer, &w, &h);
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w * h * 3));
  if (SDL_RenderReadPixels(s.renderer, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), w * 3) != 0) return false;
  return stbi_write_png(out.string().c_str(), w, h, 3, rgb.data(), w * 3) != 0;
}

// Draws the terminal: the border in the background colour, the screen
// image, and the blinking cursor.
// What the main window needs of computer 0's terminal besides its image,
// read while the world is held, so that a frame can be drawn without it.
struct ScreenLook {
  std::uint32_t background = 0x111111, cursor_colour = 0xF0F0F0;
  int cursor_x = 0, cursor_y = 0, width = Terminal::kDefaultWidth, height = Terminal::kDefaultHeight;
  bool blink = false;
};

ScreenLook look_of(const Terminal& t) {
  return ScreenLook{t.palette(15), t.palette(t.text_colour()), t.cursor_x(), t.cursor_y(),
                    t.width(),     t.height(),                  t.cursor_blink()};
}

// Draws the terminal: the border in the background colour, the screen
// image, and the blinking cursor.
void draw_terminal(UiState& ui, const ScreenLook& look, double now, TerminalRenderer& renderer, int avail_w,
                   int avail_h) {
  ScreenView& view = ui.main;
  int img_w = renderer.image_width(), img_h = renderer.image_height();
  int win_w = avail_w, win_h = avail_h;
  view.area_w = static_cast<float>(avail_w);
  view.area_h = static_cast<float>(avail_h);
  view.scale = screen_scale(avail_w, avail_h, img_w, img_h, ui.border);
  float w = static_cast<float>(img_w) * view.scale, h = static_cast<float>(img_h) * view.scale;
  view.origin_x = std::floor((static_cast<float>(avail_w) - w) / 2);
  view.origin_y = std::floor((static_cast<float>(avail_h) - h) / 2);
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  std::uint32_t bg = look.background;
  draw->AddRectFilled(ImVec2(0, 0), ImVec2(static_cast<float>(win_w), static_cast<float>(win_h)),
                      IM_COL32((bg >> 16) & 0xFF, (bg >> 8) & 0xFF, bg & 0xFF, 255));
  ImVec2 a(view.origin_x, view.origin_y), b(view.origin_x + w, view.origin_y + h);
  draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(renderer.texture())), a, b);
  // The cursor blinks every 0.4 s, drawn as CC's underscore in the text colour.
  bool on = static_cast<long>((now - ui.started) / kBlinkPeriod) % 2 == 0;
  int cx = look.cursor_x - 1, cy = look.cursor_y - 1;
  if (look.blink && on && cx >= 0 && cy >= 0 && cx < look.width && cy < look.height) {
    std::uint32_t fg = look.cursor_colour;
    float s = view.scale;
    float x0 = view.origin_x + static_cast<float>(cx * TerminalRenderer::kCellW) * s;
    float y0 = view.origin_y + static_cast<float>(cy * TerminalRenderer::kCellH + 7) * s;
    draw->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + 6 * s, y0 + s),
                        IM_COL32((fg >> 16) & 0xFF, (fg >> 8) & 0xFF, fg & 0xFF, 255));
  }
}

// While the world is busy (a process inside a long C call), the panels say
// so and show the process table the kernel publishes meanwhile (with
// several workers, the other processes go on running); the full panels come
// back with the next batch.
void draw_busy_panel(float x, float y, float w, float h, double busy_for,
                     const std::optional<Kernel::BusyReport>& report) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
  ImGui::Begin("Processes", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.75f, 0.3f, 1));
  if (report)
    ImGui::TextWrapped("Computer %d is busy: pid %d has been inside one C call for %.1f s.", report->computer,
                       report->pid, report->seconds);
  else
    ImGui::TextWrapped("The kernel is busy: a process has been inside one C call for %.1f s.", busy_for);
  ImGui::PopStyleColor();
  ImGui::TextWrapped("The window goes on drawing; the panels come back as soon as that call returns "
                     "(at most the 10 s limit of CC's \"too long without yielding\").");
  if (report && ImGui::BeginTable("busy", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY)) {
    ImGui::TableSetupColumn("pid");
    ImGui::TableSetupColumn("name");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("cpu s");
    ImGui::TableSetupColumn("memory");
    ImGui::TableSetupColumn("queue");
    ImGui::TableHeadersRow();
    for (const ProcessRow& r : report->rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", r.pid);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.pid == report->pid ? "in C" : proc_state_name(r.state));
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", r.cpu_time);
      ImGui::TableNextColumn();
      ImGui::Text("%zu KiB", r.memory / 1024);
      ImGui::TableNextColumn();
      ImGui::Text("%zu", r.queue);
    }
    ImGui::EndTable();
  }
  ImGui::End();
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
  constexpr int kStartScale = 2;
  int base_w = (Terminal::kDefaultWidth * TerminalRenderer::kCellW + 2 * ui.border) * kStartScale;
  int base_h = (Terminal::kDefaultHeight * TerminalRenderer::kCellH + 2 * ui.border) * kStartScale;
  SDL_Window* window = SDL_CreateWindow("moonbox", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, base_w, base_h,
                                        SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!window) {
    std::fprintf(stderr, "moonbox: cannot open a window: %s\n", SDL_GetError());
    SDL_Quit();
    return 1;
  }
  // Never smaller than the terminal at 1x: below that it would be cropped.
  SDL_SetWindowMinimumSize(window, base_w / kStartScale, base_h / kStartScale);
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
  SDL_EventState(SDL_DROPFILE, SDL_ENABLE);  // files dropped on a window: file_transfer (import)

  int exit_code = 0;
  {
    TerminalRenderer renderer;
    debugger::DebuggerUi dbg;
    // With the debugger the window is at least this big (the panels' layout
    // is made for 1280x720 and up).
    constexpr int kDebuggerW = 1280, kDebuggerH = 720;
    // The world: computer 0 in this window, every other computer and every
    // monitor in a window of its own.
    World world(world_config(options, "gui"));
    SdlAudio audio;
    world.audio = &audio;
    world.render_page = [](const PrintedPage& page) { save_page_png(page); };
    std::vector<std::unique_ptr<ExtraScreen>> screens;
    auto boot = [&](World& w) -> bool {
      std::string why;
      if (!w.turn_on(w.host_id(), boot_request(options, "gui"), &why)) {
        std::fprintf(stderr, "moonbox: %s\n", why.c_str());
        return false;
      }
      return true;
    };
    if (!boot(world)) exit_code = 1;
    auto wall_start = std::chrono::steady_clock::now();
    auto wall = [&wall_start] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    };
    auto start_recording = [&](World& w, const std::string& path) {
      std::string error;
      if (!w.is_on(w.host_id()) || !ui.recorder.start(path, w.computer(w.host_id())->terminal(), wall(), &error)) {
        std::fprintf(stderr, "moonbox: %s\n", error.c_str());
        show_toast(ui, "Cannot record: " + error);
      } else {
        show_toast(ui, "Recording to " + path + " (F3 stops)");
      }
    };
    if (!options.record.empty()) start_recording(world, options.record);
    ui.debugger_changed = true;
    ui.started = wall();
    bool screenshot_done = false;
    std::vector<double> frame_ms;
    auto last_frame = std::chrono::steady_clock::now();
    Uint32 main_id = SDL_GetWindowID(window);
    // From here on the computers run on the world's thread; this thread
    // only takes the world between two of its batches, and never waits for
    // it longer than a few milliseconds.
    // DAP clients that attach (--dap-port): served in the visit below.
    std::unique_ptr<DapPort> dap;
    if (options.dap_port >= 0) {
      dap = std::make_unique<DapPort>(options, options.dap_port);
      if (dap->listening()) std::fprintf(stderr, "moonbox: DAP clients may attach at 127.0.0.1:%d\n", dap->port());
      else std::fprintf(stderr, "moonbox: cannot listen for DAP clients on port %d\n", options.dap_port);
      std::fflush(stderr);
    }
    WorldRunner runner(world);
    // While the world is idle the window waits for an event instead of
    // drawing frames: a key, the mouse, the next cursor blink, or this event,
    // which the world thread sends when a process runs meanwhile (a timer, a
    // network reply).
    const Uint32 world_ran = SDL_RegisterEvents(1);
    runner.set_activity_listener([world_ran] {
      SDL_Event ev{};
      ev.type = world_ran;
      SDL_PushEvent(&ev);
    });
    int busy_frames_left = 0;  // frames still drawn at full pace since the last change
    std::vector<SDL_Event> input;  // kept while the world is busy
    PendingDrop drop;
    ScreenLook look;
    Terminal* main_terminal = world.is_on(world.host_id()) ? &world.computer(world.host_id())->terminal() : nullptr;  // computer 0's
    double fresh_at = 0;           // when the world was last seen
    bool idle = false;             // nothing was ready to run
    bool world_off = exit_code != 0;
    while (!world_off && !ui.quit) {
      SDL_Event e;
      bool had_events = false;
      while (SDL_PollEvent(&e)) {
        had_events = true;
        if (e.type == world_ran) continue;  // only a wake-up
        if (e.type == SDL_DROPBEGIN || e.type == SDL_DROPFILE || e.type == SDL_DROPCOMPLETE) {
          file_dropped(e, drop, world, main_id, screens, ui);
          continue;
        }
        Uint32 target = event_window(e);
        if (target == main_id || target == 0) {
          ImGui_ImplSDL2_ProcessEvent(&e);
          if (main_window_event(e, ui, options, window)) continue;
          if (!for_computer(e, ui)) continue;  // the panels'
        }
        if (input.size() < World::kMaxQueuedInput) input.push_back(e);
      }
      int w, h;
      SDL_GL_GetDrawableSize(window, &w, &h);
      if (ui.debugger_changed) {
        // Make room for the panels beside the terminal (or give it back).
        int cur_w, cur_h;
        SDL_GetWindowSize(window, &cur_w, &cur_h);
        if (ui.debugger && (cur_w < kDebuggerW || cur_h < kDebuggerH))
          SDL_SetWindowSize(window, std::max(cur_w, kDebuggerW), std::max(cur_h, kDebuggerH));
        if (!ui.debugger && cur_w >= kDebuggerW) SDL_SetWindowSize(window, base_w, base_h);
      }
      double elapsed = wall() - ui.started;
      bool shoot = options.quit_after > 0 && elapsed >= options.quit_after && !options.screenshot.empty() && !screenshot_done;
      MainLayout layout = main_layout(ui, w, h, renderer.image_width(), renderer.image_height());
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      ImGui::NewFrame();
      // Everything that needs the computers, in one short visit.
      auto visit = [&](World& world) {
        if (!world.is_on(world.host_id()) || world.host_turn_off()) { world_off = true; return; }  // turned off by another computer
        Kernel::PowerRequest power = world.computer(world.host_id())->kernel().power_request();
        if (power == Kernel::PowerRequest::Shutdown) { world_off = true; return; }
        if (power == Kernel::PowerRequest::Reboot) {
          main_terminal = nullptr;
          world.shut_down(0);
          if (!boot(world)) { exit_code = 1; world_off = true; return; }
          main_terminal = &world.computer(world.host_id())->terminal();
        }
        world.deliver_input();  // what was queued while it was busy goes first
        if (dap) dap->serve(world);
        for (const SDL_Event& ev : input) {
          Uint32 target = event_window(ev);
          if (target == main_id || target == 0) {
            KernelSink sink(world.computer(world.host_id())->kernel());
            computer_input(ev, ui.main, &world.computer(world.host_id())->terminal(), sink);
            continue;
          }
          for (auto& screen : screens)
            if (SDL_GetWindowID(screen->window) == target) screen_input(ev, world, *screen);
        }
        input.clear();
        if (!world.is_on(world.host_id())) { world_off = true; return; }
        Terminal& terminal = world.computer(world.host_id())->terminal();
        main_terminal = &terminal;
        if (ui.debugger_changed) {
          // Whole messages are kept for the inspector only while it can be seen.
          for (int id : world.ids()) world.computer(id)->kernel().trace().set_capture(ui.debugger);
        }
        renderer.update_image(terminal);
        look = look_of(terminal);
        if (ui.toggle_recording) {
          ui.toggle_recording = false;
          if (ui.recorder.recording()) {
            int frames = ui.recorder.stop(terminal, wall());
            std::fprintf(stderr, "moonbox: recorded %d frames to %s\n", frames, ui.recorder.path().c_str());
            show_toast(ui, "Recording saved to " + ui.recorder.path() + " (" + std::to_string(frames) + " frames)");
          } else {
            start_recording(world, capture_path(options, ".gif").string());
          }
        }
        if (ui.recorder.recording()) ui.recorder.frame(terminal, renderer.changed_rows(), false, wall());
        // The other windows: opened and closed as computers and monitors
        // come and go.
        sync_screens(world, screens, ui.border);
        for (auto& screen : screens) {
          if (Terminal* t = screen_terminal(world, *screen)) draw_screen(*screen, *t, wall(), ui.border);
          if (shoot && !save_screen(*screen, options.screenshot)) exit_code = 1;
          SDL_RenderPresent(screen->renderer);
        }
        if (ui.debugger) {
          debugger::PanelLayout drawn = layout.panels;
          dbg.draw(world, drawn);
          follow_drags(ui, layout.panels, drawn);
        }
        fresh_at = wall();
        idle = !world.has_ready();
      };
      bool fresh = runner.with_world(visit, 0.004);
      // Busy plain Lua ends its batch within a slice or so: the window waits
      // for it rather than show the busy screen, which is for a process the
      // kernel reports inside one long C call (a report comes within 150 ms
      // of the call's start). On a loaded machine the OS may hold a worker
      // back for longer than a frame: the window keeps waiting, half a
      // second at most, as long as no such report says why.
      for (int tries = 0; !fresh && tries < 10 && !runner.busy_report(0.5); tries++)
        fresh = runner.with_world(visit, 0.05);
      ui.debugger_changed = false;
      if (world_off) {
        ImGui::EndFrame();
        break;
      }
      if (!fresh && main_terminal) {
        // The kernel is inside a long call; computer 0's terminal (which only
        // this thread ever removes) is read under its own lock, so what was
        // printed before the call shows.
        auto lock = main_terminal->lock_for_reading();
        queue_busy_input(input, world, ui.main, main_id, *main_terminal, screens);
        renderer.update_image(*main_terminal);
        look = look_of(*main_terminal);
      }
      if (!fresh && ui.debugger) ui.busy_frames++;
      if (!fresh && ui.debugger)
        draw_busy_panel(static_cast<float>(layout.term_w), 0, static_cast<float>(w - layout.term_w),
                        static_cast<float>(h), wall() - fresh_at, runner.busy_report(0.5));
      // The other windows' renderers may have touched the current context.
      SDL_GL_MakeCurrent(window, gl);
      renderer.upload();
      draw_terminal(ui, look, wall(), renderer, layout.term_w, layout.term_h);
      draw_toast(ui, static_cast<float>(layout.term_w), static_cast<float>(layout.term_h));
      ImGui::Render();
      glViewport(0, 0, w, h);
      glClearColor(0, 0, 0, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      if (options.quit_after > 0 && elapsed >= options.quit_after) {
        if (shoot) {
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
      // Nothing to run: don't spin (a busy world made us wait already). A
      // few frames at full pace after any change (Dear ImGui settles hover
      // and layout over the next frames), then wait for an event, the next
      // blink of the cursor, or the end of --quit-after.
      // (upload() has cleared the rows to upload by now; rows_redrawn counts
      // what this frame's update_image drew.)
      bool changed = had_events || !fresh || renderer.rows_redrawn() > 0;
      if (changed) busy_frames_left = kSettleFrames;
      if (fresh && idle) {
        if (busy_frames_left > 0 || dap || ui.recorder.recording()) {
          busy_frames_left = std::max(busy_frames_left - 1, 0);
          SDL_Delay(4);
        } else {
          double now = wall(), since_start = now - ui.started;
          double next_blink = ui.started + kBlinkPeriod * (std::floor(since_start / kBlinkPeriod) + 1);
          double until = std::min(next_blink, now + kIdleFrameWait);
          if (options.quit_after > 0) until = std::min(until, ui.started + options.quit_after);
          if (static_cast<double>(SDL_GetTicks()) / 1000.0 <= ui.toast_until) until = std::min(until, now + 0.1);
          runner.await_activity(true);
          SDL_WaitEventTimeout(nullptr, static_cast<int>(std::ceil(std::max(until - now, 0.0) * 1000)));
          runner.await_activity(false);
        }
      }
    }
    if (options.frame_stats && frame_ms.size() > 2) {
      frame_ms.erase(frame_ms.begin());  // the first frame includes start-up
      std::sort(frame_ms.begin(), frame_ms.end());
      double sum = 0;
      for (double f : frame_ms) sum += f;
      std::printf("frames %zu  mean %.2f ms (%.0f fps)  p50 %.2f ms  p99 %.2f ms  max %.2f ms  busy %ld\n",
                  frame_ms.size(), sum / static_cast<double>(frame_ms.size()),
                  1000.0 * static_cast<double>(frame_ms.size()) / sum, frame_ms[frame_ms.size() / 2],
                  frame_ms[frame_ms.size() * 99 / 100], frame_ms.back(), ui.busy_frames);
      std::fflush(stdout);
    }
    screens.clear();
    // Closing the window: the world thread stops after its batch; a process
    // stuck in a C call gets no more than the grace period.
    if (!runner.stop(1.0)) {
      std::fprintf(stderr, "moonbox: a process is still inside a C call; quitting without waiting for it\n");
      std::fflush(nullptr);
      std::_Exit(exit_code);
    }
    if (ui.recorder.recording() && world.is_on(world.host_id())) ui.recorder.stop(world.computer(world.host_id())->terminal(), wall());
    // SIGHUP, then SIGTERM, then SIGKILL, on every computer.
    world.end_all({kSigHUP, kSigTERM, kSigKILL}, 0.5);
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
