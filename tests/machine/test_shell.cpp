// The rom userland driven by scripted key events: init starts the shell,
// keys are typed into the terminal, and the screen is read back.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/support/KernelHarness.h"

using namespace moonbox;

namespace {

// A computer booted the way the window boots it: rom init in "gui" mode.
struct Desktop {
  test::Harness h{false};
  Kernel& k;
  Computer& c;
  Desktop() : k((h.use_terminal_console(), *h.kernel)), c(*h.computer) {
    SpawnRequest init;
    init.name = "init";
    init.source = c.vfs().read_file("/rom/moonbox/init.lua").value();
    std::string args;
    MessageWriter(args).string("gui").finish();
    init.args = args;
    REQUIRE(k.spawn(init).value == 1);
    REQUIRE(wait_for("> "));
  }
  std::string screen() const {
    std::string s;
    for (int y = 0; y < c.terminal().height(); y++) s += c.terminal().row_text(y) + "\n";
    return s;
  }
  bool wait_for(const std::string& text, double guard = 10) {
    bool found = h.run_until([&] { return screen().find(text) != std::string::npos; }, guard);
    if (!found) {
      std::string table;
      for (const ProcessRow& r : k.snapshot())
        table += std::to_string(r.pid) + " " + r.name + " " + proc_state_name(r.state) + " " + r.waiting + "\n";
      MESSAGE("screen while waiting for '" << text << "':\n" << screen() << "foreground " << k.foreground()
                                             << ", processes:\n" << table);
    }
    return found;
  }
  // The pid of the live process whose name is `name` (0 if none).
  int pid_named(const std::string& name) const {
    for (const auto& [pid, p] : k.processes())
      if (p->name() == name && p->alive()) return pid;
    return 0;
  }
  void key(int code) {
    std::string p;
    MessageWriter(p).integer(code).boolean(false).finish();
    k.post_input("key", p);
    std::string up;
    MessageWriter(up).integer(code).finish();
    k.post_input("key_up", up);
  }
  void type(const std::string& text) {
    for (char c : text) {
      if (c == '\n') {
        key(257);
      } else {
        int code = (c >= 'a' && c <= 'z') ? c - 32 : (c >= '0' && c <= '9') ? c : 0;
        if (code) {
          std::string p;
          MessageWriter(p).integer(code).boolean(false).finish();
          k.post_input("key", p);
        }
        std::string ch;
        MessageWriter(ch).string(std::string(1, c)).finish();
        k.post_input("char", ch);
      }
      h.run_for(0.002);
    }
  }
};

}  // namespace

TEST_CASE("the shell boots as user and runs programs") {
  Desktop d;
  const Process* shell = d.k.find(d.k.foreground());
  REQUIRE(shell);
  CHECK(shell->user() == "user");
  CHECK(shell->name() == "/rom/programs/shell.lua");
  d.type("help\n");
  CHECK(d.wait_for("Welcome to moonbox"));
  d.type("nosuchthing\n");
  CHECK(d.wait_for("nosuchthing: command not found"));
  d.type("ps\n");
  CHECK(d.wait_for("ps.lua"));
  CHECK(d.screen().find("init") != std::string::npos);
}

TEST_CASE("edit writes a file the shell can run") {
  Desktop d;
  d.type("edit hello.lua\n");
  REQUIRE(d.wait_for("Press Ctrl for menu"));
  d.type("term.setTextColour(colors.lime)\nprint(\"hi from edit\")");
  d.key(341);  // leftCtrl: the menu, with Save selected
  REQUIRE(d.wait_for("[Save]"));
  d.key(257);
  REQUIRE(d.wait_for("Saved to hello.lua"));
  d.key(341);
  d.key(262);  // right: Run
  d.key(262);  // right: Exit
  REQUIRE(d.wait_for("[Exit]"));
  d.key(257);
  REQUIRE(d.wait_for("> "));
  auto text = d.c.vfs().read_file("/hello.lua");
  REQUIRE(text);
  CHECK(*text == "term.setTextColour(colors.lime)\nprint(\"hi from edit\")\n");
  d.type("hello\n");
  REQUIRE(d.wait_for("hi from edit"));
  // The line is lime (palette index 5).
  const Terminal& t = d.c.terminal();
  bool lime = false;
  for (int y = 0; y < t.height(); y++)
    if (t.row_text(y).starts_with("hi from edit")) lime = t.at(0, y).fg == 5;
  CHECK(lime);
}

TEST_CASE("a crashing program returns to the shell with its error in red") {
  Desktop d;
  d.type("lua\n");
  REQUIRE(d.wait_for("lua> "));
  d.type("exit()\n");
  REQUIRE(d.wait_for("> "));
  // A program that fails: write it with the lua REPL's help? simpler: cat a
  // missing file, which exits 1, and a real crash through startString.
  d.type("cat missing.txt\n");
  REQUIRE(d.wait_for("/missing.txt: No such file"));
  const Terminal& t = d.c.terminal();
  int red_row = -1;
  for (int y = 0; y < t.height(); y++)
    if (t.row_text(y).starts_with("/missing.txt")) red_row = y;
  REQUIRE(red_row >= 0);
  CHECK(t.at(0, red_row).fg == 14);  // colors.red
}

TEST_CASE("job control: &, Ctrl+Z, jobs, fg, bg, kill -STOP") {
  Desktop d;
  // A background job that waits forever.
  d.type("lua &\n");
  REQUIRE(d.wait_for("[1] "));
  d.type("jobs\n");
  REQUIRE(d.wait_for("[1] "));
  // The background lua prompt tried to read: SIGTTIN stopped it.
  int bg_pid = d.pid_named("/rom/programs/lua.lua");
  REQUIRE(bg_pid);
  REQUIRE(d.h.run_until([&] { return d.k.find(bg_pid)->state() == ProcState::Stopped; }));
  // fg brings it back, with the terminal.
  d.type("fg\n");
  REQUIRE(d.h.run_until([&] { return d.k.foreground() == bg_pid; }));
  REQUIRE(d.h.run_until([&] { return d.k.find(bg_pid)->state() == ProcState::Blocked; }));
  // Ctrl+Z stops it and the shell takes the terminal back.
  d.k.signal_foreground(kSigSTOP);
  REQUIRE(d.wait_for("Stopped"));
  CHECK(d.k.find(bg_pid)->state() == ProcState::Stopped);
  CHECK(d.k.find(d.k.foreground())->name() == "/rom/programs/shell.lua");
  // kill -CONT from the shell resumes it in the background; then TERM ends it.
  d.type("kill -CONT " + std::to_string(bg_pid) + "\n");
  REQUIRE(d.h.run_until([&] { return d.k.find(bg_pid)->state() != ProcState::Stopped; }));
  d.type("kill -TERM " + std::to_string(bg_pid) + "\n");
  REQUIRE(d.h.run_until([&] { return !d.k.find(bg_pid) || !d.k.find(bg_pid)->alive(); }));
  d.type("\n");
  CHECK(d.wait_for("Done (143)"));
}

TEST_CASE("Ctrl+Z with no job in the foreground does nothing; the shell never stops itself") {
  Desktop d;
  int shell = d.k.foreground();
  REQUIRE(d.k.find(shell)->name() == "/rom/programs/shell.lua");
  d.k.signal_foreground(kSigSTOP);  // at the empty prompt
  d.h.run_for(0.1);
  CHECK(d.k.find(shell)->state() != ProcState::Stopped);
  CHECK(d.k.foreground() == shell);
  // and the keyboard still reaches it: Ctrl+C and typing work
  d.type("id\n");
  CHECK(d.wait_for("This is computer"));
}

TEST_CASE("Ctrl+Z stops the whole foreground job, and fg gives the terminal back to who had it") {
  Desktop d;
  int shell = d.k.foreground();
  // A program that runs another as its child: the child has the terminal.
  auto host = d.c.vfs().host_path("/outer.lua");
  REQUIRE(host);
  std::ofstream(*host) << "local p = require('system.process')\n"
                          "local c = p.start({path = '/rom/programs/lua.lua', foreground = true})\n"
                          "p.wait(c)\nprint('outer done')\n";
  d.type("outer\n");
  REQUIRE(d.wait_for("lua> "));
  int outer = d.pid_named("/outer.lua"), inner = d.pid_named("/rom/programs/lua.lua");
  REQUIRE(outer);
  REQUIRE(inner);
  REQUIRE(d.k.foreground() == inner);
  d.k.signal_foreground(kSigSTOP);
  REQUIRE(d.wait_for("Stopped"));
  CHECK(d.k.find(inner)->state() == ProcState::Stopped);
  CHECK(d.k.find(outer)->state() == ProcState::Stopped);
  CHECK(d.k.foreground() == shell);
  d.type("fg\n");
  // both run again, and the program that was reading has the keyboard
  REQUIRE(d.h.run_until([&] { return d.k.find(inner)->state() != ProcState::Stopped; }));
  CHECK(d.k.find(outer)->state() != ProcState::Stopped);
  REQUIRE(d.h.run_until([&] { return d.k.foreground() == inner; }));
  d.type("exit()\n");
  CHECK(d.wait_for("outer done"));
  REQUIRE(d.h.run_until([&] { return d.k.foreground() == shell; }));
}

TEST_CASE("a stopped shell keeps its terminal: continued, it reads what was typed meanwhile") {
  Desktop d;
  int shell = d.k.foreground();
  REQUIRE(d.k.kill(0, shell, kSigSTOP).ok());  // the debugger's Stop
  REQUIRE(d.h.run_until([&] { return d.k.find(shell)->state() == ProcState::Stopped; }));
  CHECK(d.k.foreground() == shell);  // not init, which never reads
  d.type("id\n");
  REQUIRE(d.k.kill(0, shell, kSigCONT).ok());
  CHECK(d.wait_for("This is computer"));
  CHECK(d.k.foreground() == shell);
}

TEST_CASE("Ctrl+T is CC's everywhere: Terminated alone, and the next prompt on a line of its own") {
  Desktop d;
  auto host = d.c.vfs().host_path("/napper.lua");
  REQUIRE(host);
  std::ofstream(*host) << "write('napping')\nsleep(30)\n";
  auto terminate = [&d] {
    std::string none;
    MessageWriter(none).finish();
    d.k.post_input("terminate", none);
  };
  // What is typed while `clear` runs would go to it (the foreground) and
  // be lost with it: type on once the shell has the terminal again.
  // (cleared: nothing on the screen but the prompt, and the shell reads)
  auto shell_has_terminal = [&d] {
    return d.screen().find_first_not_of(" \n>") == std::string::npos &&
           d.k.find(d.k.foreground())->name() == "/rom/programs/shell.lua";
  };
  // a program in sleep
  d.type("clear\n");
  REQUIRE(d.h.run_until(shell_has_terminal));
  d.type("napper\n");
  REQUIRE(d.wait_for("napping"));
  terminate();
  // (rows are padded to 51 columns: "Terminated", then the prompt on the next row)
  auto prompt_after_terminated = [&d] {
    std::string screen = d.screen();
    std::size_t at = screen.find("Terminated");
    if (at == std::string::npos) return false;
    std::size_t next = screen.find('\n', at);
    return next != std::string::npos && screen.compare(next + 1, 2, "> ") == 0;
  };
  REQUIRE(d.h.run_until(prompt_after_terminated));
  CHECK(d.screen().find("traceback") == std::string::npos);
  CHECK(d.screen().find("nappingTerminated") != std::string::npos);  // as CC prints it
  // the lua prompt
  d.type("clear\n");
  REQUIRE(d.h.run_until(shell_has_terminal));
  d.type("lua\n");
  REQUIRE(d.wait_for("lua> "));
  d.type("1 +");  // half a line typed
  terminate();
  REQUIRE(d.h.run_until([&] { return d.k.find(d.k.foreground())->name() == "/rom/programs/shell.lua"; }));
  REQUIRE(d.h.run_until(prompt_after_terminated));
  CHECK(d.screen().find("lua> 1 +Terminated") != std::string::npos);  // CC's read leaves the line as it was
  CHECK(d.c.terminal().text_colour() == 0);  // white again at the prompt's input
}

TEST_CASE("Ctrl+T in a multishell tab terminates the tab's program, and the tab's shell prompts again") {
  Desktop d;
  d.type("multishell\n");
  REQUIRE(d.wait_for("> "));
  REQUIRE(d.h.run_until([&] { return d.pid_named("/rom/programs/advanced/multishell.lua") != 0; }));
  d.h.run_for(0.3);
  d.type("lua\n");
  REQUIRE(d.wait_for("lua> "));
  std::string none;
  MessageWriter(none).finish();
  d.k.post_input("terminate", none);
  CHECK(d.wait_for("Terminated"));
  d.h.run_for(0.3);
  CHECK(d.pid_named("/rom/programs/lua.lua") == 0);
  CHECK(d.pid_named("/rom/programs/advanced/multishell.lua") != 0);  // the tab is still there
}

TEST_CASE("fg and bg open multishell tabs as CC's do; with a job number they are job control") {
  Desktop d;
  d.type("fg lua\n");
  CHECK(d.wait_for("Requires multishell"));
  d.type("fg 3\n");
  CHECK(d.wait_for("fg: no such job"));
  d.type("multishell\n");
  REQUIRE(d.h.run_until([&] { return d.pid_named("/rom/programs/advanced/multishell.lua") != 0; }));
  d.h.run_for(0.3);
  // fg PROGRAM: a new tab running it, in front
  d.type("fg lua\n");
  REQUIRE(d.wait_for("lua> "));
  CHECK(d.pid_named("/rom/programs/lua.lua") != 0);
  std::string bar = d.c.terminal().row_text(0);
  CHECK(bar.find("lua") != std::string::npos);
  // exit() ends lua: its tab closes and the first tab is in front again
  d.type("exit()\n");
  REQUIRE(d.h.run_until([&] { return d.pid_named("/rom/programs/lua.lua") == 0; }));
  // bg with no job: a new shell tab, behind
  int shells = 0;
  for (const auto& [pid, p] : d.k.processes())
    if (p->alive() && p->name() == "/rom/programs/shell.lua") shells++;
  d.h.run_for(0.3);
  d.type("bg\n");
  REQUIRE(d.h.run_until([&] {
    int now = 0;
    for (const auto& [pid, p] : d.k.processes())
      if (p->alive() && p->name() == "/rom/programs/shell.lua") now++;
    return now == shells + 1;
  }));
}

TEST_CASE("an idle multishell queues no events (it redraws on terminal_changed, not on a timer)") {
  Desktop d;
  d.type("multishell\n");
  REQUIRE(d.h.run_until([&] { return d.pid_named("/rom/programs/advanced/multishell.lua") != 0; }));
  REQUIRE(d.wait_for("> "));
  d.h.run_for(0.3);
  std::uint64_t before = d.k.trace().total();
  d.h.run_for(1.0);  // idle: nothing typed, nothing drawn
  std::vector<TraceEntry> since;
  d.k.trace().copy_since(before, since);
  CHECK(since.size() < 4);  // the 50 ms timer made about 60 facts a second
  // and what a tab draws still shows: typed into the tab, echoed on the screen
  d.type("id\n");
  CHECK(d.wait_for("This is computer"));
}

TEST_CASE("Ctrl+C interrupts the foreground program") {
  Desktop d;
  d.type("lua\n");
  REQUIRE(d.wait_for("lua> "));
  int fg = d.k.foreground();
  CHECK(d.k.find(fg)->name() == "/rom/programs/lua.lua");
  d.k.signal_foreground(kSigINT);
  REQUIRE(d.h.run_until([&] { return d.k.foreground() != fg; }));
  CHECK(d.wait_for("> "));
}

TEST_CASE("stty tostop: a background job that writes is stopped until fg") {
  Desktop d;
  d.type("stty tostop\n");
  REQUIRE(d.wait_for("\ntostop"));
  // A background job that prints after a moment.
  auto h = d.c.vfs().host_path("/talker.lua");
  REQUIRE(h);
  std::ofstream(*h) << "sleep(0.2) print('talker speaks')\n";
  d.type("talker &\n");
  REQUIRE(d.wait_for("[1] "));
  int talker = d.pid_named("/talker.lua");
  REQUIRE(talker);
  REQUIRE(d.h.run_until([&] { return d.k.find(talker)->state() == ProcState::Stopped; }));
  CHECK(d.screen().find("talker speaks") == std::string::npos);
  d.type("fg\n");
  CHECK(d.wait_for("talker speaks"));
  d.type("stty -tostop\n");
  CHECK(d.wait_for("-tostop"));
}

TEST_CASE("typeahead: what is typed while a program runs and never reads reaches the shell after it") {
  Desktop d;
  auto host = d.c.vfs().host_path("/dozer.lua");
  REQUIRE(host);
  // busy, reading nothing (a program that sleeps would pull, and drop, the keys: as in CC)
  std::ofstream(*host) << "local t = os.clock() while os.clock() - t < 0.3 do end\n";
  d.type("dozer\n");
  REQUIRE(d.h.run_until([&d] { return d.k.find(d.k.foreground())->name().find("dozer") != std::string::npos; }));
  d.type("echo");  // typed while dozer runs: its events, unread when it ends
  REQUIRE(d.wait_for("> echo"));
}
