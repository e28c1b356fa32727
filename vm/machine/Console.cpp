#include "vm/machine/Console.h"

#include <string>

#include "vm/machine/Terminal.h"

namespace moonbox {

void TerminalConsole::write_line(int, std::string_view line) {
  term_.write_wrapped(line);
  term_.write_wrapped("\n");
}

void TerminalConsole::write_text(int, std::string_view text) { term_.write_wrapped(text); }

void write_error_to(Terminal& t, std::string_view text) {
  int fg = t.text_colour();
  t.set_text_colour(14);  // colors.red
  t.write_wrapped(text);
  if (!text.empty() && text.back() != '\n') t.write_wrapped("\n");
  t.set_text_colour(fg);
}

void TerminalConsole::write_error(int, std::string_view text) { write_error_to(term_, text); }

}  // namespace moonbox
