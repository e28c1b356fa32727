// moonbox --dap: the Debug Adapter Protocol over stdin and stdout, as VS
// Code starts an adapter. One DAP thread per process: a process that hits a
// breakpoint stops alone (the kernel's traced state), the others run on.
// The requests are read on a thread of their own and served on the main
// thread between the world's batches, when no Lua runs; the program's
// output becomes "output" events.
#include "emulator/Dap.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "vm/machine/World.h"

namespace moonbox {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The wire: "Content-Length: N\r\n\r\n" and N bytes of JSON.
class Wire {
 public:
  void send(json message) {
    std::lock_guard lock(mutex_);
    message["seq"] = ++seq_;
    std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
    std::fprintf(stdout, "Content-Length: %zu\r\n\r\n", body.size());
    std::fwrite(body.data(), 1, body.size(), stdout);
    std::fflush(stdout);
  }
  void event(const std::string& name, json body = json::object()) {
    send({{"type", "event"}, {"event", name}, {"body", std::move(body)}});
  }
  void respond(const json& request, json body = json::object(), bool ok = true, const std::string& message = {}) {
    json r = {{"type", "response"},
              {"request_seq", request.value("seq", 0)},
              {"command", request.value("command", "")},
              {"success", ok},
              {"body", std::move(body)}};
    if (!ok) r["message"] = message;
    send(std::move(r));
  }
  // One message from stdin; false at its end.
  static bool read(json& out) {
    std::string line;
    std::size_t length = 0;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        if (length == 0) continue;
        std::string body(length, '\0');
        if (!std::cin.read(body.data(), static_cast<std::streamsize>(length))) return false;
        out = json::parse(body, nullptr, false);
        return true;
      }
      if (line.rfind("Content-Length:", 0) == 0) length = std::strtoull(line.c_str() + 15, nullptr, 10);
    }
    return false;
  }

 private:
  std::mutex mutex_;
  long seq_ = 0;
};

// The program's output, as "output" events.
class DapConsole final : public Console {
 public:
  explicit DapConsole(Wire& wire) : wire_(wire) {}
  void write_line(int, std::string_view line) override { out("stdout", std::string(line) + "\n"); }
  void write_text(int, std::string_view text) override { out("stdout", std::string(text)); }
  void write_error(int, std::string_view text) override {
    std::string t(text);
    if (t.empty() || t.back() != '\n') t += '\n';
    out("stderr", t);
  }

 private:
  void out(const char* category, std::string text) {
    wire_.event("output", {{"category", category}, {"output", std::move(text)}});
  }
  Wire& wire_;
};

class Adapter {
 public:
  Adapter(const Options& options) : options_(options) {}

  int run() {
    std::thread reader([this] {
      json m;
      while (Wire::read(m)) {
        std::lock_guard lock(mutex_);
        if (!m.is_discarded()) inbox_.push_back(std::move(m));
        cv_.notify_one();
      }
      std::lock_guard lock(mutex_);
      input_closed_ = true;
      cv_.notify_one();
    });
    reader.detach();  // blocked in a read of stdin, which ends with the process
    while (!done_) {
      std::deque<json> requests;
      {
        std::unique_lock lock(mutex_);
        bool busy = world_ && booted_ && world_->has_ready();
        if (!busy) cv_.wait_for(lock, std::chrono::milliseconds(world_ && booted_ ? 5 : 100));
        requests.swap(inbox_);
        if (input_closed_ && requests.empty()) done_ = true;
      }
      for (json& r : requests) handle(r);
      if (world_ && booted_ && !done_) {
        world_->run_for(0.02);
        watch();
      }
    }
    if (world_) world_->end_all({kSigHUP, kSigKILL}, 1.0);
    return exit_code_;
  }

 private:
  Computer* host() { return world_ ? world_->computer(world_->host_id()) : nullptr; }
  Kernel* kernel() { return host() ? &host()->kernel() : nullptr; }
  Process* process(const json& r, const char* field = "threadId") {
    Kernel* k = kernel();
    if (!k) return nullptr;
    return k->find(r.value("arguments", json::object()).value(field, 0));
  }

  // DAP's variable references: (pid, the debugger's reference) pairs.
  int reference(int pid, int ref) {
    if (ref == 0) return 0;
    refs_.push_back({pid, ref});
    return static_cast<int>(refs_.size());
  }

  json variable_json(int pid, const Variable& v) {
    return {{"name", v.name}, {"value", v.value}, {"type", v.type}, {"variablesReference", reference(pid, v.reference)}};
  }

  // A chunk's source as a host path the client can open: a path inside the
  // computer becomes the same path in its data directory.
  std::string host_path(const std::string& source) {
    std::error_code ec;
    if (source.empty() || source[0] == '=' || fs::exists(source, ec)) return source;
    if (Computer* c = host()) {
      fs::path inside = fs::path(world_->data_dir(c->id())) / fs::path(source).relative_path();
      if (fs::exists(inside, ec)) return inside.string();
    }
    return source;
  }

  void apply_breakpoints() {
    if (!kernel()) return;
    for (auto& [source, bps] : breakpoints_) kernel()->debugger().set_source_breakpoints(source, bps);
  }

  void handle(const json& r) {
    std::string command = r.value("command", "");
    json args = r.value("arguments", json::object());
    if (command == "initialize") {
      wire_.respond(r, {{"supportsConfigurationDoneRequest", true},
                        {"supportsConditionalBreakpoints", true},
                        {"supportsHitConditionalBreakpoints", true},
                        {"supportsEvaluateForHovers", true},
                        {"supportsSetVariable", true},
                        {"supportsTerminateRequest", true},
                        {"supportsExceptionInfoRequest", true},
                        {"exceptionBreakpointFilters",
                         json::array({{{"filter", "uncaught"}, {"label", "Uncaught errors"}, {"default", false}}})}});
    } else if (command == "launch" || command == "attach") {
      launch(r, args);
    } else if (command == "setBreakpoints") {
      std::string source = args.value("source", json::object()).value("path", "");
      std::vector<Breakpoint> bps;
      json out = json::array();
      for (const json& b : args.value("breakpoints", json::array())) {
        Breakpoint bp;
        bp.line = b.value("line", 0);
        bp.condition = b.value("condition", "");
        bp.hit_condition = b.value("hitCondition", "");
        bp.source = source;
        bps.push_back(bp);
      }
      breakpoints_[source] = bps;
      std::vector<int> ids;
      if (kernel()) ids = kernel()->debugger().set_source_breakpoints(source, bps);
      for (std::size_t i = 0; i < bps.size(); i++)
        out.push_back({{"id", i < ids.size() ? ids[i] : static_cast<int>(i) + 1},
                       {"verified", true},
                       {"line", bps[i].line}});
      wire_.respond(r, {{"breakpoints", out}});
    } else if (command == "setExceptionBreakpoints") {
      bool uncaught = false;
      for (const json& f : args.value("filters", json::array())) uncaught |= f == "uncaught";
      break_on_errors_ = uncaught;
      if (kernel()) kernel()->debugger().set_break_on_errors(uncaught);
      wire_.respond(r, {{"breakpoints", json::array()}});
    } else if (command == "exceptionInfo") {
      Process* p = process(r);
      if (!p || p->stop_reason() != "exception") wire_.respond(r, {}, false, "the thread did not stop on an error");
      else wire_.respond(r, {{"exceptionId", "error"}, {"description", p->stop_text()}, {"breakMode", "unhandled"}});
    } else if (command == "configurationDone") {
      wire_.respond(r);
      boot();
    } else if (command == "threads") {
      json threads = json::array();
      if (Kernel* k = kernel())
        for (const auto& [pid, p] : k->processes())
          if (p->alive()) threads.push_back({{"id", pid}, {"name", std::to_string(pid) + " " + p->name()}});
      wire_.respond(r, {{"threads", threads}});
    } else if (command == "stackTrace") {
      Process* p = process(r);
      json frames = json::array();
      if (p)
        for (const StackFrame& f : kernel()->debugger().stack(*p)) {
          json frame = {{"id", p->pid() * 1000 + f.level}, {"name", f.function}, {"line", f.line}, {"column", 1}};
          if (f.source.rfind("=", 0) != 0) {
            std::string path = host_path(f.source);
            frame["source"] = {{"name", fs::path(path).filename().string()}, {"path", path}};
          }
          frames.push_back(std::move(frame));
        }
      wire_.respond(r, {{"stackFrames", frames}, {"totalFrames", frames.size()}});
    } else if (command == "scopes") {
      int frame = args.value("frameId", 0);
      Process* p = kernel() ? kernel()->find(frame / 1000) : nullptr;
      json scopes = json::array();
      if (p) {
        Debugger::Scopes s = kernel()->debugger().scopes(*p, frame % 1000);
        scopes.push_back({{"name", "Locals"}, {"variablesReference", reference(p->pid(), s.locals)}, {"expensive", false}});
        scopes.push_back({{"name", "Upvalues"}, {"variablesReference", reference(p->pid(), s.upvalues)}, {"expensive", false}});
        scopes.push_back({{"name", "Globals"}, {"variablesReference", reference(p->pid(), s.globals)}, {"expensive", true}});
      }
      wire_.respond(r, {{"scopes", scopes}});
    } else if (command == "variables") {
      int ref = args.value("variablesReference", 0);
      json vars = json::array();
      if (ref > 0 && ref <= static_cast<int>(refs_.size()) && kernel()) {
        auto [pid, inner] = refs_[static_cast<std::size_t>(ref - 1)];
        if (Process* p = kernel()->find(pid))
          for (const Variable& v : kernel()->debugger().variables(*p, inner)) vars.push_back(variable_json(pid, v));
      }
      wire_.respond(r, {{"variables", vars}});
    } else if (command == "setVariable") {
      int ref = args.value("variablesReference", 0);
      if (ref <= 0 || ref > static_cast<int>(refs_.size()) || !kernel()) {
        wire_.respond(r, {}, false, "no such variable");
        return;
      }
      auto [pid, inner] = refs_[static_cast<std::size_t>(ref - 1)];
      Process* p = kernel()->find(pid);
      if (!p) {
        wire_.respond(r, {}, false, "the process has ended");
        return;
      }
      Debugger::Evaluation e =
          kernel()->debugger().set_variable(*p, inner, args.value("name", ""), args.value("value", "nil"));
      if (!e.ok) wire_.respond(r, {}, false, e.error);
      else wire_.respond(r, {{"value", e.value.value}, {"type", e.value.type},
                             {"variablesReference", reference(pid, e.value.reference)}});
    } else if (command == "evaluate") {
      evaluate(r, args);
    } else if (command == "continue" || command == "next" || command == "stepIn" || command == "stepOut") {
      Process* p = process(r);
      StepMode mode = command == "next"     ? StepMode::Over
                      : command == "stepIn" ? StepMode::In
                      : command == "stepOut" ? StepMode::Out
                                             : StepMode::None;
      refs_.clear();
      bool ok = p && kernel()->debugger().resume(*p, mode);
      if (command == "continue") wire_.respond(r, {{"allThreadsContinued", false}}, ok, "the thread is not stopped");
      else wire_.respond(r, json::object(), ok, "the thread is not stopped");
      if (ok && command == "continue") wire_.event("continued", {{"threadId", p->pid()}, {"allThreadsContinued", false}});
    } else if (command == "pause") {
      Process* p = process(r);
      bool ok = p && kernel()->debugger().pause(*p);
      wire_.respond(r, json::object(), ok, "the thread cannot be paused");
    } else if (command == "disconnect" || command == "terminate") {
      wire_.respond(r);
      if (!terminated_sent_) wire_.event("terminated");
      terminated_sent_ = true;
      done_ = true;
    } else {
      wire_.respond(r, {}, false, "moonbox does not support " + command);
    }
  }

  void launch(const json& r, const json& args) {
    if (world_) {
      wire_.respond(r, {}, false, "already launched");
      return;
    }
    if (!args.value("headless", true)) {
      wire_.respond(r, {}, false, "moonbox --dap debugs headless programs; start the window with --dap-port to attach");
      return;
    }
    program_ = args.value("program", "");
    if (program_.empty()) {
      wire_.respond(r, {}, false, "launch needs a program");
      return;
    }
    for (const json& a : args.value("args", json::array()))
      if (a.is_string()) program_args_.push_back(a.get<std::string>());
    Options o = options_;
    std::string data = args.value("dataDir", "");
    if (!data.empty()) {
      o.data_dir = data;
      o.world_dir = (fs::path(data) / ".moonbox" / "world").string();
    }
    WorldConfig config = world_config(o, "headless");
    config.console_for = [this](int) -> std::unique_ptr<Console> { return std::make_unique<DapConsole>(wire_); };
    world_ = std::make_unique<World>(std::move(config));
    wire_.respond(r);
    wire_.event("initialized");
  }

  void boot() {
    if (!world_ || booted_) return;
    // A program on the host, or a path inside the computer.
    std::string program = program_;
    std::error_code ec;
    if (!fs::exists(program, ec)) {
      fs::path inside = fs::path(world_->data_dir(world_->host_id())) / fs::path(program).relative_path();
      if (fs::exists(inside, ec)) program = inside.string();
    }
    std::string why;
    // The breakpoints before the program's first line: the world's computer
    // is turned on with the kernel's debugger set up at once.
    if (!world_->turn_on(world_->host_id(), BootRequest{"headless", program, program_args_}, &why)) {
      wire_.event("output", {{"category", "stderr"}, {"output", "moonbox: " + why + "\n"}});
      wire_.event("exited", {{"exitCode", 1}});
      wire_.event("terminated");
      terminated_sent_ = true;
      return;
    }
    apply_breakpoints();
    kernel()->debugger().set_break_on_errors(break_on_errors_);
    booted_ = true;
  }

  void evaluate(const json& r, const json& args) {
    Kernel* k = kernel();
    std::string expression = args.value("expression", "");
    Process* p = nullptr;
    int level = -1;
    if (args.contains("frameId") && k) {
      int frame = args.value("frameId", 0);
      p = k->find(frame / 1000);
      level = frame % 1000;
    } else if (k) {  // the REPL: the process that stopped last
      for (const auto& [pid, q] : k->processes())
        if (q->alive() && q->at_breakpoint()) p = q.get();
    }
    if (!p) {
      wire_.respond(r, {}, false, "no process is stopped");
      return;
    }
    Debugger::Evaluation e = k->debugger().evaluate(*p, level, expression);
    if (!e.ok) {
      wire_.respond(r, {}, false, e.error);
      return;
    }
    wire_.respond(r, {{"result", e.value.value}, {"type", e.value.type},
                      {"variablesReference", reference(p->pid(), e.value.reference)}});
  }

  // After a batch: threads that started or ended, processes that stopped,
  // and the program's end.
  void watch() {
    Kernel* k = kernel();
    if (!k) return;
    std::set<int> alive;
    for (const auto& [pid, p] : k->processes()) {
      if (!p->alive()) continue;
      alive.insert(pid);
      if (!threads_.contains(pid)) wire_.event("thread", {{"reason", "started"}, {"threadId", pid}});
      if (p->state() == ProcState::Stopped && p->at_breakpoint() && stops_[pid] != p->stop_count()) {
        stops_[pid] = p->stop_count();
        json stop = {{"reason", p->stop_reason().empty() ? "pause" : p->stop_reason()},
                     {"threadId", pid},
                     {"allThreadsStopped", false}};
        if (!p->stop_text().empty()) stop["text"] = p->stop_text();
        wire_.event("stopped", std::move(stop));
      }
    }
    for (int pid : threads_)
      if (!alive.contains(pid)) wire_.event("thread", {{"reason", "exited"}, {"threadId", pid}});
    threads_ = std::move(alive);
    Computer* c = host();
    if (c && c->program_done() && !terminated_sent_) {
      exit_code_ = c->program_status();
      wire_.event("exited", {{"exitCode", exit_code_}});
      wire_.event("terminated");
      terminated_sent_ = true;
    }
  }

  const Options& options_;
  Wire wire_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<json> inbox_;
  bool input_closed_ = false;
  bool done_ = false;
  std::unique_ptr<World> world_;
  bool booted_ = false;
  bool terminated_sent_ = false;
  bool break_on_errors_ = false;
  int exit_code_ = 0;
  std::string program_;
  std::vector<std::string> program_args_;
  std::map<std::string, std::vector<Breakpoint>> breakpoints_;
  std::vector<std::pair<int, int>> refs_;
  std::set<int> threads_;
  std::map<int, std::uint64_t> stops_;
};

}  // namespace

int run_dap(const Options& options) {
  Adapter adapter(options);
  return adapter.run();
}

}  // namespace moonbox
