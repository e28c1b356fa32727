// KernelHost: what the kernel needs from the machine it runs on, asked for
// through this interface so that the kernel knows nothing of files,
// terminals' text or computers. The machine (Computer) implements it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace moonbox {

// A program file read for a process: its absolute path and its text.
struct ProgramText {
  std::string path;
  std::string text;
};

class KernelHost {
 public:
  virtual ~KernelHost() = default;

  // The machine's id (a computer's), shown in the process table.
  virtual int host_id() const = 0;

  // ---- files: paths are a process's, relative to its working directory cwd.
  // The program at `path`; none when it is not a file that can be read.
  virtual std::optional<ProgramText> read_program(std::string_view path, std::string_view cwd) = 0;
  // The absolute form of `path` when it is a directory; none otherwise.
  virtual std::optional<std::string> find_directory(std::string_view path, std::string_view cwd) = 0;

  // ---- terminals: the kernel keeps their ids, owners and foregrounds (job
  // control); the machine keeps what they show. Terminal 0 is the machine's
  // own; the kernel opens the others and tells the machine.
  virtual void terminal_opened(int id, int width, int height) = 0;
  virtual void terminal_closed(int id) = 0;
  // True when terminal `id` shows something its viewer has not drawn yet.
  virtual bool terminal_changed(int id) = 0;
  // An error of process `pid` for its user to see (an uncaught error, a core
  // dump's traceback): on virtual terminal `tty`, or the console when 0.
  virtual void report_error(int pid, int tty, std::string_view text) = 0;
};

}  // namespace moonbox
