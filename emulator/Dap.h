// moonbox --dap: the Debug Adapter Protocol over stdin/stdout (Dap.cpp).
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "emulator/Options.h"

namespace moonbox {

class World;

// Serves one debugging session: launch a headless program, then breakpoints,
// stepping, stacks, variables and evaluation per process (one DAP thread per
// process). Returns the program's exit status.
int run_dap(const Options& options);

// moonbox --dap-port PORT: the window listens on 127.0.0.1 for DAP clients
// (VS Code's "attach"), which debug the window's computer as it runs. The
// connections are read on threads of their own; their requests are served
// by serve(), on the window's thread while it holds the world. A session
// that ends takes its breakpoints with it and lets what it stopped go on.
class DapPort {
 public:
  DapPort(const Options& options, int port);  // port 0: any free port
  ~DapPort();
  DapPort(const DapPort&) = delete;
  DapPort& operator=(const DapPort&) = delete;
  bool listening() const { return port_ > 0; }
  int port() const { return port_; }
  void serve(World& world);

 private:
  struct Session;
  void accept_loop();
  static void end_session(Session& s);

  const Options& options_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::mutex mutex_;
  std::list<std::unique_ptr<Session>> arriving_;  // accepted, not yet seen by serve
  std::list<std::unique_ptr<Session>> sessions_;  // the window's thread's
};

}  // namespace moonbox
