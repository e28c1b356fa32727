// Drives `moonbox --cli` through a pseudo-terminal, as a person at a
// terminal would: a terminal too small at first (the message), then resized
// (SIGWINCH), typed keys, a mouse click (xterm SGR reporting), and Ctrl+C.
// Checks what the program prints, its exit status, and that the host
// terminal was put back (the alternate screen left) on the way out.
//   pty_cli MOONBOX DATA_DIR PROGRAM_ASKS PROGRAM_LOOPS
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

struct Session {
  pid_t pid = -1;
  int fd = -1;
  std::string out;
  const char* term = "xterm-256color";

  bool start(const char* moonbox, const char* data, const char* program, int cols, int rows,
             const char* record = nullptr) {
    winsize ws{};
    ws.ws_col = static_cast<unsigned short>(cols);
    ws.ws_row = static_cast<unsigned short>(rows);
    pid = forkpty(&fd, nullptr, nullptr, &ws);
    if (pid < 0) return false;
    if (pid == 0) {
      setenv("TERM", term, 1);
      if (record)
        execl(moonbox, moonbox, "--cli", "--record", record, "--data-dir", data, program, static_cast<char*>(nullptr));
      else
        execl(moonbox, moonbox, "--cli", "--data-dir", data, program, static_cast<char*>(nullptr));
      _exit(127);
    }
    return true;
  }

  // Reads until `text` has appeared in the output, or `seconds` pass.
  bool wait_for(const std::string& text, double seconds) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (out.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > end) return false;
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) {
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) return out.find(text) != std::string::npos;
        out.append(buf, static_cast<std::size_t>(n));
      }
    }
    return true;
  }

  void send(const std::string& bytes) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    (void)n;
    usleep(100 * 1000);
  }

  void resize(int cols, int rows) {
    winsize ws{};
    ws.ws_col = static_cast<unsigned short>(cols);
    ws.ws_row = static_cast<unsigned short>(rows);
    ioctl(fd, TIOCSWINSZ, &ws);
    kill(pid, SIGWINCH);
  }

  int finish(double seconds) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      wait_for("\x01never", 0.05);  // keep draining the output
      if (std::chrono::steady_clock::now() > end) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return -1;
      }
    }
    wait_for("\x01never", 0.2);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

int failures = 0;
void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  if (!ok) failures++;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: pty_cli MOONBOX DATA_DIR PROGRAM_ASKS PROGRAM_LOOPS\n");
    return 2;
  }
  {
    Session s;
    check(s.start(argv[1], argv[2], argv[3], 40, 10), "moonbox --cli starts in a pty");
    check(s.wait_for("at least 51x19", 10), "a terminal smaller than 51x19 gets a clear message");
    s.resize(80, 24);
    check(s.wait_for("What is your name?", 10), "after the resize the program is drawn");
    // Colours, by the bytes written to the terminal: with 256 colours the
    // palette is redefined as colours 16-31, and lime (colour 5) is 21.
    std::size_t lime = s.out.find("\033[38;5;21m"), text = s.out.find("What is your name?");
    check(lime != std::string::npos && lime < text, "the lime prompt is drawn in colour 21 (lime), by its escape code");
    check(s.out.find("\033[48;5;31m") != std::string::npos, "the background is colour 31 (black)");
    s.send("bob\r");
    check(s.wait_for("hi bob", 10), "typed keys arrive as char and key events (read() works)");
    check(s.wait_for("paste something", 10), "the next prompt");
    s.send("\033[200~from the clipboard\033[201~");
    s.send("\r");
    check(s.wait_for("pasted from the clipboard", 10), "bracketed paste arrives as a paste event");
    // The screen is centred: 80x24 leaves (80-51)/2 = 14 columns and (24-19)/2 = 2
    // rows around it, so the cell (6, 4) is the terminal's column 20, row 6.
    s.send("\033[<0;20;6M");
    s.send("\033[<0;20;6m");
    check(s.wait_for("click 1 6 4", 10), "a mouse click arrives as mouse_click with the cell");
    int status = s.finish(15);
    check(status == 3, "the exit status is the program's (3)");
    check(s.out.find("\033[?1049l") != std::string::npos, "the host terminal is put back (alternate screen left)");
  }
  {
    // An 8-colour terminal gets the nearest basic colours: lime (7FCC19) is
    // nearest to yellow (CDCD00).
    Session s;
    s.term = "xterm";
    check(s.start(argv[1], argv[2], argv[3], 80, 24), "moonbox --cli starts with TERM=xterm");
    check(s.wait_for("What is your name?", 10), "the program is drawn");
    std::size_t yellow = s.out.find("\033[33m"), text = s.out.find("What is your name?");
    check(yellow != std::string::npos && yellow < text, "on 8 colours the lime prompt is drawn yellow (ESC[33m)");
    kill(s.pid, SIGTERM);
    s.finish(15);
  }
  {
    Session s;
    std::string gif = std::string(argv[2]) + "/cli.gif";
    check(s.start(argv[1], argv[2], argv[4], 80, 24, gif.c_str()), "a looping program starts, recording");
    check(s.wait_for("looping", 10), "it is drawn");
    s.send("\003");  // Ctrl+C
    int status = s.finish(15);
    check(status == 130, "Ctrl+C sends SIGINT: status 128+2");
    std::FILE* f = std::fopen(gif.c_str(), "rb");
    char magic[7] = {};
    check(f && std::fread(magic, 1, 6, f) == 6 && std::strcmp(magic, "GIF89a") == 0, "--record wrote a GIF in --cli");
    if (f) std::fclose(f);
    check(s.out.find("\033[?1049l") != std::string::npos, "the terminal is put back after a signal too");
  }
  {
    Session s;
    check(s.start(argv[1], argv[2], argv[4], 80, 24), "a looping program starts again");
    check(s.wait_for("looping", 10), "it is drawn again");
    kill(s.pid, SIGTERM);  // moonbox itself is killed
    int status = s.finish(15);
    check(status == 128 + SIGTERM, "moonbox ends by the signal");
    check(s.out.find("\033[?1049l") != std::string::npos, "the terminal is put back when moonbox is killed");
  }
  std::printf("%d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
