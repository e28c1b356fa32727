// moonbox --dap: the Debug Adapter Protocol over stdin and stdout, as VS
// Code starts an adapter. One DAP thread per process: a process that hits a
// breakpoint stops alone (the kernel's traced state), the others run on.
// The requests are read on a thread of their own and served on the main
// thread between the world's batches, when no Lua runs; the program's
// output becomes "output" events.
#include "emulator/Dap.h"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "vm/machine/World.h"

namespace moonbox {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The wire: "Content-Length: N\r\n\r\n" and N bytes of JSON, over stdin
// and stdout (--dap) or a TCP connection (--dap-port).
class Wire {
 public:
  Wire(int in, int out, bool socket) : in_(in), out_(out), socket_(socket) {}
  void send(json message) {
    std::lock_guard lock(mutex_);
    message["seq"] = ++seq_;
    std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string all = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    for (std::size_t done = 0; done < all.size();) {
      // (a client gone: MSG_NOSIGNAL keeps SIGPIPE from ending the window)
      ssize_t n = socket_ ? ::send(out_, all.data() + done, all.size() - done, MSG_NOSIGNAL)
                          : ::write(out_, all.data() + done, all.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
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
  // One message; false at the input's end. (One reader thread.)
  bool read(json& out) {
    std::size_t length = 0;
    for (std::string line; read_line(line);) {
      if (line.empty()) {
        if (length == 0) continue;
        std::string body;
        if (!read_exact(length, body)) return false;
        out = json::parse(body, nullptr, false);
        return true;
      }
      // DAP's headers are "Name: value" lines. Anything else (an HTTP
      // request line, which a program's http API could send to a port on
      // this machine) ends the connection: a program never drives the debugger.
      std::size_t colon = line.find(": ");
      if (colon == std::string::npos || colon == 0 || line.find(' ') < colon) return false;
      if (line.rfind("Content-Length:", 0) == 0) length = std::strtoull(line.c_str() + 15, nullptr, 10);
    }
    return false;
  }

 private:
  bool fill() {
    char chunk[4096];
    for (;;) {
      ssize_t n = ::read(in_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
  }
  bool read_line(std::string& line) {
    std::size_t end;
    while ((end = buffer_.find('\n')) == std::string::npos)
      if (buffer_.size() > (1u << 16) || !fill()) return false;
    line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  bool read_exact(std::size_t n, std::string& out) {
    if (n > (64u << 20)) return false;
    while (buffer_.size() < n)
      if (!fill()) return false;
    out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return true;
  }

  int in_, out_;
  bool socket_;
  std::string buffer_;
  std::mutex mutex_;
  long seq_ = 0;
};

// The requests a wire brings, read on a thread of their own (a read blocks
// until the client writes) and taken by whoever serves them.
class Inbox {
 public:
  explicit Inbox(Wire& wire)
      : reader_([this, &wire] {
          json m;
          while (wire.read(m)) {
            std::lock_guard lock(mutex_);
            if (!m.is_discarded()) requests_.push_back(std::move(m));
            cv_.notify_one();
          }
          std::lock_guard lock(mutex_);
          closed_ = true;
          cv_.notify_one();
        }) {}
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;
  // The requests that came, waiting up to `wait` for one; `closed` says
  // whether the input has ended.
  std::deque<json> take(std::chrono::milliseconds wait, bool* closed) {
    std::unique_lock lock(mutex_);
    if (requests_.empty() && !closed_ && wait.count() > 0) cv_.wait_for(lock, wait);
    *closed = closed_;
    return std::exchange(requests_, {});
  }
  // Its reader ends with its input: joined once the input is shut, or left
  // to end with the process (stdin).
  std::thread& reader() { return reader_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<json> requests_;
  bool closed_ = false;
  std::thread reader_;  // last: it starts once the members above exist
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

// One debugging session. Launched (--dap): it owns a headless world and
// runs it between requests. Attached (--dap-port): it serves the window's
// world, on the window's thread while the window holds it.
class Adapter {
 public:
  Adapter(const Options& options, Wire& wire, World* attached = nullptr)
      : options_(options), wire_(wire), attached_(attached), booted_(attached != nullptr) {}

  int run() {
    inbox_ = std::make_unique<Inbox>(wire_);
    inbox_->reader().detach();  // blocked in a read of stdin, which ends with the process
    while (!done_) {
      bool busy = world() && booted_ && world()->has_ready();
      bool closed = false;
      std::deque<json> requests =
          inbox_->take(std::chrono::milliseconds(busy ? 0 : world() && booted_ ? 5 : 100), &closed);
      if (closed && requests.empty()) done_ = true;
      for (json& r : requests) handle(r);
      if (world() && booted_ && !done_) {
        world()->run_for(0.02);
        watch();
      }
    }
    if (world_) world_->end_all({kSigHUP, kSigKILL}, 1.0);
    return exit_code_;
  }

  bool done() const { return done_; }

  // An attached session ends (disconnect, or the client went): what it set
  // goes, and what it stopped runs on, as when VS Code detaches.
  void detach() {
    Kernel* k = kernel();
    if (!k) return;
    for (auto& [source, bps] : breakpoints_) k->debugger().set_source_breakpoints(source, {});
    breakpoints_.clear();
    k->debugger().set_break_on_errors(false);
    for (const auto& [pid, p] : k->processes())
      if (p->alive() && p->at_breakpoint()) k->debugger().resume(*p, StepMode::None);
  }

  // One request, answered on the wire.
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
      if (!attached_) boot();
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
      // (attached, neither ends the window: the session goes, the computer runs on)
      wire_.respond(r);
      if (!terminated_sent_) wire_.event("terminated");
      terminated_sent_ = true;
      done_ = true;
    } else {
      wire_.respond(r, {}, false, "moonbox does not support " + command);
    }
  }

  // After a batch: threads that started or ended, processes that stopped,
  // and the program's end.
  void watch() {
    Kernel* k = kernel();
    if (!k || (attached_ && !attached_ready_)) return;  // (no events before the client attached)
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
    if (!attached_ && c && c->program_done() && !terminated_sent_) {
      exit_code_ = c->program_status();
      wire_.event("exited", {{"exitCode", exit_code_}});
      wire_.event("terminated");
      terminated_sent_ = true;
    }
  }

 private:
  World* world() { return attached_ ? attached_ : world_.get(); }
  Computer* host() { return world() ? world()->computer(world()->host_id()) : nullptr; }
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
      fs::path inside = fs::path(world()->data_dir(c->id())) / fs::path(source).relative_path();
      if (fs::exists(inside, ec)) return inside.string();
    }
    return source;
  }

  void apply_breakpoints() {
    if (!kernel()) return;
    for (auto& [source, bps] : breakpoints_) kernel()->debugger().set_source_breakpoints(source, bps);
  }

  void launch(const json& r, const json& args) {
    if (attached_) {  // attach or launch: the window's computer, as it runs
      attached_ready_ = true;
      wire_.respond(r);
      wire_.event("initialized");
      return;
    }
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

  const Options& options_;
  Wire& wire_;
  World* attached_;
  bool attached_ready_ = false;
  std::unique_ptr<Inbox> inbox_;  // launched: the requests stdin brings
  bool done_ = false;
  std::unique_ptr<World> world_;
  bool booted_;
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
  Wire wire(STDIN_FILENO, STDOUT_FILENO, false);
  Adapter adapter(options, wire);
  return adapter.run();
}

// ---- --dap-port: sessions over TCP that attach to the window's world

struct DapPort::Session {
  explicit Session(int socket) : fd(socket), wire(socket, socket, true), inbox(wire) {}
  int fd;
  Wire wire;
  Inbox inbox;
  std::unique_ptr<Adapter> attached;  // made on the window's thread, with its world
};

DapPort::DapPort(const Options& options, int port) : options_(options) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return;
  int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // this machine's clients only
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 4) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    return;
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

DapPort::~DapPort() {
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  std::lock_guard lock(mutex_);
  for (auto* list : {&sessions_, &arriving_})
    for (auto& s : *list) end_session(*s);
}

void DapPort::accept_loop() {
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // the port is closing
    }
    auto s = std::make_unique<Session>(fd);
    std::lock_guard lock(mutex_);
    arriving_.push_back(std::move(s));
  }
}

void DapPort::end_session(Session& s) {
  ::shutdown(s.fd, SHUT_RDWR);  // wakes its reader
  if (s.inbox.reader().joinable()) s.inbox.reader().join();
  ::close(s.fd);
}

void DapPort::serve(World& world) {
  {
    std::lock_guard lock(mutex_);
    for (auto& s : arriving_) sessions_.push_back(std::move(s));
    arriving_.clear();
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    Session& s = **it;
    if (!s.attached) s.attached = std::make_unique<Adapter>(options_, s.wire, &world);
    bool closed = false;
    for (const json& r : s.inbox.take(std::chrono::milliseconds(0), &closed)) s.attached->handle(r);
    s.attached->watch();
    if (closed || s.attached->done()) {
      s.attached->detach();
      end_session(s);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace moonbox
