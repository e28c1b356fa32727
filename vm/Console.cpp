#include "vm/Console.h"

#include <string>

#include "vm/Terminal.h"

namespace moonbox {

void TerminalConsole::write_line(int, std::string_view line) {
  term_.write_wrapped(line);
  term_.write_wrapped("\n");
}

void TerminalConsole::write_text(int, std::string_view text) { term_.write_wrapped(text); }

void TerminalConsole::write_error(int, std::string_view text) {
  int fg = term_.text_colour();
  term_.set_text_colour(14);  // colors.red
  term_.write_wrapped(text);
  if (!text.empty() && text.back() != '\n') term_.write_wrapped("\n");
  term_.set_text_colour(fg);
}

}  // namespace moonbox
