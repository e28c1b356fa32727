// --cli: the 51x19 terminal drawn in the host terminal with ncurses.
//
// Colours are the palette's own where the terminal lets colours be redefined,
// else the nearest of its 256 (or 16, or 8). Keys become CC key codes and
// char events; a terminal reports no key releases, so key_up follows each
// key, as CraftOS-PC does. Ctrl+C, Ctrl+Z, Ctrl+\ and Ctrl+T keep their
// meaning. xterm mouse reporting gives clicks, drags and the wheel; bracketed
// paste gives paste events. The host terminal is put back on every way out:
// a normal end, a signal, or a crash.
#include "emulator/Cli.h"

#include <algorithm>
#include <chrono>
#include <clocale>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include <ncurses.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include "emulator/GifRecorder.h"
#include "emulator/InputEvents.h"
#include "vm/machine/World.h"

namespace moonbox {

namespace {

// ---------------------------------------------------------------- restoring the host terminal

termios g_saved_termios;
bool g_have_termios = false;
volatile std::sig_atomic_t g_active = 0;

// Mouse reporting, bracketed paste and the alternate screen off, colours
// reset, the cursor shown: async-signal-safe (write and tcsetattr only).
void restore_terminal_raw() {
  static const char reset[] = "\033[?1002l\033[?1000l\033[?1006l\033[?2004l\033[0m\033[?25h\033[?1049l";
  ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
  (void)ignored;
  if (g_have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
}

void on_fatal_signal(int sig) {
  if (g_active) restore_terminal_raw();
  g_active = 0;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_restorers() {
  if (tcgetattr(STDIN_FILENO, &g_saved_termios) == 0) g_have_termios = true;
  for (int sig : {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL})
    std::signal(sig, on_fatal_signal);
  std::atexit([] {
    if (g_active) {
      endwin();
      restore_terminal_raw();
      g_active = 0;
    }
  });
}

// ---------------------------------------------------------------- colours

struct Colours {
  short number[16] = {};  // the terminal's colour for each palette entry
  std::map<int, short> pairs;
  short next_pair = 1;
  bool redefine = false;

  static short nearest(std::uint32_t rgb, int colours) {
    int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
    if (colours >= 256) {  // the xterm 6x6x6 cube, or the grey ramp
      auto level = [](int v) { return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40; };
      int cube = 16 + 36 * level(r) + 6 * level(g) + level(b);
      int grey = (r + g + b) / 3;
      int ramp = grey < 8 ? 16 : grey > 238 ? 231 : 232 + (grey - 8) / 10;
      auto dist = [&](int index) {
        int cr, cg, cb;
        if (index >= 232) {
          cr = cg = cb = 8 + (index - 232) * 10;
        } else {
          int c = index - 16;
          auto value = [](int l) { return l == 0 ? 0 : 55 + 40 * l; };
          cr = value(c / 36), cg = value((c / 6) % 6), cb = value(c % 6);
        }
        return (cr - r) * (cr - r) + (cg - g) * (cg - g) + (cb - b) * (cb - b);
      };
      return static_cast<short>(dist(cube) <= dist(ramp) ? cube : ramp);
    }
    static const int basic[16][3] = {{0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
                                     {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
                                     {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
                                     {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};
    int best = 0, best_d = 1 << 30;
    for (int i = 0; i < std::min(colours, 16); i++) {
      int d = (basic[i][0] - r) * (basic[i][0] - r) + (basic[i][1] - g) * (basic[i][1] - g) +
              (basic[i][2] - b) * (basic[i][2] - b);
      if (d < best_d) best = i, best_d = d;
    }
    return static_cast<short>(best);
  }

  void set_palette(const Terminal& t) {
    redefine = can_change_color() && COLORS >= 32;
    for (int i = 0; i < 16; i++) {
      std::uint32_t rgb = t.palette(i);
      if (redefine) {
        number[i] = static_cast<short>(16 + i);
        init_color(number[i], static_cast<short>(((rgb >> 16) & 255) * 1000 / 255),
                   static_cast<short>(((rgb >> 8) & 255) * 1000 / 255), static_cast<short>((rgb & 255) * 1000 / 255));
      } else {
        number[i] = nearest(rgb, COLORS);
      }
    }
    for (auto& [key, pair] : pairs) init_pair(pair, number[key >> 4], number[key & 15]);
  }

  short pair(int fg, int bg) {
    int key = fg << 4 | bg;
    auto it = pairs.find(key);
    if (it != pairs.end()) return it->second;
    if (next_pair >= COLOR_PAIRS) return 1;
    short p = next_pair++;
    init_pair(p, number[fg], number[bg]);
    pairs[key] = p;
    return p;
  }
};

// ---------------------------------------------------------------- keys

// CC:Tweaked's key code (GLFW) for a character typed on a US keyboard.
int key_of_char(int c) {
  if (c >= 'a' && c <= 'z') return 65 + (c - 'a');
  if (c >= 'A' && c <= 'Z') return 65 + (c - 'A');
  if (c >= '0' && c <= '9') return c;
  static const char shifted[] = ")!@#$%^&*(";
  if (const char* p = std::strchr(shifted, c); p && c) return '0' + static_cast<int>(p - shifted);
  switch (c) {
    case ' ': return 32;
    case '\'': case '"': return 39;
    case ',': case '<': return 44;
    case '-': case '_': return 45;
    case '.': case '>': return 46;
    case '/': case '?': return 47;
    case ';': case ':': return 59;
    case '=': case '+': return 61;
    case '[': case '{': return 91;
    case '\\': case '|': return 92;
    case ']': case '}': return 93;
    case '`': case '~': return 96;
  }
  return 0;
}

int key_of_curses(int key) {
  switch (key) {
    case KEY_ENTER: return 257;
    case KEY_BACKSPACE: return 259;
    case KEY_IC: return 260;
    case KEY_DC: return 261;
    case KEY_RIGHT: return 262;
    case KEY_LEFT: return 263;
    case KEY_DOWN: return 264;
    case KEY_UP: return 265;
    case KEY_PPAGE: return 266;
    case KEY_NPAGE: return 267;
    case KEY_HOME: return 268;
    case KEY_END: return 269;
  }
  if (key >= KEY_F(1) && key <= KEY_F(25)) return 290 + (key - KEY_F(1));
  return 0;
}

// ---------------------------------------------------------------- the screen

// The nearest Unicode block element for CC's 2x3 block characters 128-159:
// the quadrants, the middle row counted with the row it leans to.
wchar_t block_char(int ch) {
  int bits = ch - 128;
  bool tl = bits & 1, tr = bits & 2, ml = bits & 4, mr = bits & 8, bl = bits & 16;
  bool br = false;  // CC's sixth sub-pixel is the background
  bool ul = tl || (ml && !bl), ur = tr || (mr && !br);
  bool ll = bl || (ml && !tl), lr = br || (mr && !tr);
  static const wchar_t quadrants[16] = {L' ',      L'\u2598', L'\u259D', L'\u2580', L'\u2596', L'\u258C',
                                        L'\u259E', L'\u259B', L'\u2597', L'\u259A', L'\u2590', L'\u259C',
                                        L'\u2584', L'\u2599', L'\u259F', L'\u2588'};
  return quadrants[(ul ? 1 : 0) | (ur ? 2 : 0) | (ll ? 4 : 0) | (lr ? 8 : 0)];
}

struct Screen {
  Colours colours;
  int ox = 0, oy = 0;  // where the computer's screen starts in the host's
  bool too_small = false;

  void layout(const Terminal& t) {
    too_small = COLS < t.width() || LINES < t.height();
    ox = std::max(0, (COLS - t.width()) / 2);
    oy = std::max(0, (LINES - t.height()) / 2);
    erase();
    if (too_small) {
      // Two short lines, so that even a narrow terminal shows them whole.
      char need[64], have[64];
      std::snprintf(need, sizeof need, "moonbox needs at least %dx%d", t.width(), t.height());
      std::snprintf(have, sizeof have, "this terminal is %dx%d", COLS, LINES);
      mvaddnstr(LINES / 2 - 1, std::max(0, (COLS - static_cast<int>(std::strlen(need))) / 2), need, COLS);
      mvaddnstr(LINES / 2, std::max(0, (COLS - static_cast<int>(std::strlen(have))) / 2), have, COLS);
    }
  }

  void draw_row(const Terminal& t, int y) {
    move(oy + y, ox);
    for (int x = 0; x < t.width(); x++) {
      const Cell& c = t.at(x, y);
      short pair = colours.pair(c.fg, c.bg);
      wchar_t wc[2] = {L' ', 0};
      if (c.ch >= 32 && c.ch < 127) wc[0] = static_cast<wchar_t>(c.ch);
      else if (c.ch >= 128 && c.ch < 160) wc[0] = block_char(c.ch);
      else if (c.ch >= 160) wc[0] = static_cast<wchar_t>(c.ch);  // ISO 8859-1 is Unicode's first 256
      cchar_t cc;
      // The pair goes in setcchar's own argument: COLOR_PAIR in the
      // attributes is overridden by it (0 drew everything uncoloured).
      setcchar(&cc, wc, A_NORMAL, pair, nullptr);
      add_wch(&cc);
    }
  }

  GifRecorder* recorder = nullptr;  // --record
  double recording_time = 0;

  void draw(Terminal& t, bool all) {
    if (t.palette_dirty()) {
      colours.set_palette(t);
      all = true;
    }
    if (recorder && recorder->recording()) {
      std::vector<bool> changed(static_cast<std::size_t>(t.height()));
      for (int y = 0; y < t.height(); y++) changed[static_cast<std::size_t>(y)] = all || t.row_dirty(y);
      recorder->frame(t, changed, false, recording_time);
    }
    if (!too_small) {
      for (int y = 0; y < t.height(); y++)
        if (all || t.row_dirty(y)) draw_row(t, y);
      bool visible = t.cursor_blink() && t.cursor_x() >= 1 && t.cursor_x() <= t.width() && t.cursor_y() >= 1 &&
                     t.cursor_y() <= t.height();
      curs_set(visible ? 1 : 0);
      if (visible) move(oy + t.cursor_y() - 1, ox + t.cursor_x() - 1);
    }
    t.clear_dirty();
    refresh();
  }
};

// Until the terminal (stdin) has input or the world's wake_fd is readable,
// for at most `seconds`. A signal (SIGWINCH: a resize) ends it early too.
void wait_for_input(int wake_fd, double seconds) {
  pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int ms = static_cast<int>(std::ceil(std::max(seconds, 0.0) * 1000));
  poll(fds, wake_fd >= 0 ? 2 : 1, ms);
}

// ---------------------------------------------------------------- input

struct Input {
  Kernel& k;
  Terminal& terminal;  // the computer's
  Screen& screen;
  int held_buttons = 0;

  void post_key(int code, const char* ch) {
    if (code) k.post_input("key", encode_key(code, false));
    if (ch) k.post_input("char", encode_string(ch));
    if (code) k.post_input("key_up", encode({code}));  // terminals report no releases
  }

  // Reads what follows an ESC that came with it: bracketed paste, or Alt.
  void escape() {
    std::string seq;
    int c;
    while ((c = getch()) != ERR && seq.size() < 8) {
      seq += static_cast<char>(c);
      if (seq == "[200~") {
        paste();
        return;
      }
      if (std::isalpha(c) || c == '~') break;
    }
    if (seq.empty()) post_key(256, nullptr);  // escape on its own
  }

  void paste() {
    std::string text;
    const std::string end = "\033[201~";
    int c;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < until) {
      c = getch();
      if (c == ERR) continue;
      text += static_cast<char>(c);
      if (text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0) {
        text.resize(text.size() - end.size());
        break;
      }
    }
    // As the window does: up to the first newline, 512 characters at most.
    text = text.substr(0, std::min(text.find_first_of("\r\n"), std::size_t{512}));
    if (!text.empty()) k.post_input("paste", encode_string(text));
  }

  void mouse() {
    MEVENT ev;
    if (getmouse(&ev) != OK) return;
    int x = ev.x - screen.ox + 1, y = ev.y - screen.oy + 1;
    const Terminal& t = terminal;
    if (x < 1 || y < 1 || x > t.width() || y > t.height()) return;
    struct Button { mmask_t press, release; int cc; };
    static const Button buttons[] = {{BUTTON1_PRESSED, BUTTON1_RELEASED, 1},
                                     {BUTTON3_PRESSED, BUTTON3_RELEASED, 2},
                                     {BUTTON2_PRESSED, BUTTON2_RELEASED, 3}};
    for (const Button& b : buttons) {
      if (ev.bstate & b.press) {
        held_buttons |= 1 << b.cc;
        k.post_input("mouse_click", encode({b.cc, x, y}));
      } else if (ev.bstate & b.release) {
        held_buttons &= ~(1 << b.cc);
        k.post_input("mouse_up", encode({b.cc, x, y}));
      }
    }
    if (ev.bstate & BUTTON4_PRESSED) k.post_input("mouse_scroll", encode({-1, x, y}));
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED) k.post_input("mouse_scroll", encode({1, x, y}));
#endif
    if ((ev.bstate & REPORT_MOUSE_POSITION) && held_buttons)
      for (int b = 1; b <= 3; b++)
        if (held_buttons & (1 << b)) k.post_input("mouse_drag", encode({b, x, y}));
  }

  // One key from ncurses; false when there was none.
  bool poll() {
    wint_t wc;
    int kind = get_wch(&wc);
    if (kind == ERR) return false;
    if (kind == KEY_CODE_YES) {
      if (wc == KEY_RESIZE) {
        screen.layout(terminal);
        screen.draw(terminal, true);
        k.post_input("term_resize", encode({}));
      } else if (wc == KEY_MOUSE) {
        mouse();
      } else {
        post_key(key_of_curses(static_cast<int>(wc)), nullptr);
      }
      return true;
    }
    switch (wc) {
      case 3: k.signal_foreground(kSigINT); return true;    // Ctrl+C
      case 26: k.signal_foreground(kSigSTOP); return true;  // Ctrl+Z
      case 28: k.signal_foreground(kSigQUIT); return true;  // Ctrl+\ .
      case 20: k.post_input("terminate", encode({})); return true;  // Ctrl+T
      case 27: escape(); return true;
      case '\r': case '\n': post_key(257, nullptr); return true;
      case '\t': post_key(258, nullptr); return true;
      case 127: case 8: post_key(259, nullptr); return true;
    }
    if (wc < 32) {  // other Ctrl+letter: the letter's key, as a held Ctrl would
      post_key(65 + static_cast<int>(wc) - 1, nullptr);
      return true;
    }
    char ch[2] = {static_cast<char>(wc <= 255 ? wc : '?'), 0};
    post_key(key_of_char(static_cast<int>(wc)), wc <= 255 ? ch : nullptr);
    return true;
  }
};

}  // namespace

int run_cli(const Options& options) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "moonbox: --cli needs a terminal\n");
    return 1;
  }
  // Computer 0 is shown here; other computers started from it run unseen.
  World world(world_config(options, "gui"));
  std::string why;
  if (!world.turn_on(world.host_id(), boot_request(options, "gui"), &why)) {
    std::fprintf(stderr, "moonbox: %s\n", why.c_str());
    return 1;
  }
  Computer& computer = *world.computer(world.host_id());
  install_restorers();
  std::setlocale(LC_ALL, "");
  initscr();
  g_active = 1;
  raw();
  noecho();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  set_escdelay(25);
  if (has_colors()) {
    start_color();
    use_default_colors();
  }
  mousemask(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION, nullptr);
  mouseinterval(0);
  std::fputs("\033[?1002h\033[?2004h", stdout);  // drags, and bracketed paste
  std::fflush(stdout);

  Kernel& k = computer.kernel();
  Screen screen;
  GifRecorder recorder;
  auto started = std::chrono::steady_clock::now();
  auto wall = [&started] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  std::string record_error;
  if (!options.record.empty() && recorder.start(options.record, computer.terminal(), 0, &record_error)) screen.recorder = &recorder;
  Input input{k, computer.terminal(), screen};
  screen.colours.set_palette(computer.terminal());
  screen.layout(computer.terminal());
  screen.draw(computer.terminal(), true);
  bool with_program = !options.program.empty();
  auto shell_alive = [&k] {
    for (const auto& [pid, p] : k.processes())
      if (pid != 1 && p->alive()) return true;
    return false;
  };
  auto last_draw = std::chrono::steady_clock::now();
  constexpr auto kFrame = std::chrono::milliseconds(16);
  const int wake_fd = world.wake_fd();
  while (true) {
    while (input.poll()) {}
    world.clear_wake_fd();
    world.run_for(0.008);
    if (world.host_turn_off()) {  // turned off from another computer
      endwin();
      restore_terminal_raw();
      g_active = 0;
      world.end_all({kSigHUP, kSigKILL}, 1.0);
      return 0;
    }
    if (with_program ? computer.program_done() : !shell_alive()) break;
    if (k.power_request() != Kernel::PowerRequest::None) break;
    auto now = std::chrono::steady_clock::now();
    bool changed = computer.terminal().changed();
    if (changed && now - last_draw >= kFrame) {
      screen.recording_time = wall();
      screen.draw(computer.terminal(), false);
      last_draw = now;
      changed = false;
    }
    if (world.has_ready()) continue;
    // Nothing to run: wait for a key, a timer, a wake-up (a network reply,
    // anything the host or another thread queues), or the next frame when
    // the screen has changed since the last one. No polling: an idle --cli
    // at the shell looked every 2 ms, 1.8% of a core.
    double wait = std::min(world.idle_for(), World::kLongestSleep);
    if (changed) wait = std::min(wait, std::chrono::duration<double>(last_draw + kFrame - now).count());
    wait_for_input(wake_fd, wait);
  }
  screen.recording_time = wall();
  screen.draw(computer.terminal(), false);
  endwin();
  restore_terminal_raw();
  g_active = 0;
  if (recorder.recording()) recorder.stop(computer.terminal(), wall());
  if (!record_error.empty()) std::fprintf(stderr, "moonbox: %s\n", record_error.c_str());
  // What the program left behind: SIGHUP, then SIGKILL after 1 s (headless mode's rule).
  int status = with_program ? computer.program_status() : 0;
  world.end_all({kSigHUP, kSigKILL}, 1.0);
  return status;
}

}  // namespace moonbox
