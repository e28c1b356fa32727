// HttpClient: one computer's side of the network outside: what its
// processes have asked for (requests, checks, websockets, listeners), the
// answers they hold (response handles, requests to answer), CC's limits per
// computer, and the delivery of each outcome as an event to the process
// that asked. The transfers themselves run on the world's network threads
// (HttpService, WebSocketService, HttpListener); they hand their outcomes
// to this client's inbox, which the computer empties between slices
// (deliver), so that events reach processes on the world's thread.
//
// Handles are numbers, looked up at every use (a binding never holds one
// across Lua); each belongs to one process and goes when it ends, as do
// its requests, websockets and listeners. A response body counts against
// its process's memory quota while its handle is open.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "vm/kernel/Kernel.h"
#include "vm/machine/HttpListener.h"
#include "vm/machine/HttpRules.h"
#include "vm/machine/HttpService.h"
#include "vm/machine/WebSocketService.h"

namespace moonbox {

// The network threads a world shares between its computers, made on first use.
class NetServices {
 public:
  HttpService& http();
  WebSocketService& websockets();

 private:
  std::mutex mutex_;
  std::unique_ptr<HttpService> http_;
  std::unique_ptr<WebSocketService> websockets_;
};

// What the debugger's Network tab lists: one live request, socket or listener.
struct NetRow {
  int pid = 0;
  std::string kind;  // "request", "check", "websocket", "listener", "response", "serving"
  std::string what;  // the URL (or the port)
  std::string state; // "queued", "connecting", "open", "done 200", ...
  std::size_t bytes = 0;
  double seconds = 0;  // since it started
};

class HttpClient {
 public:
  // wake: tells the computer's runner that the inbox has something (any thread).
  HttpClient(NetServices& services, std::shared_ptr<const HttpConfig> config, std::function<void()> wake);
  ~HttpClient();  // cancels everything in flight
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const HttpConfig& config() const { return *config_; }

  // ---- what a process asks for (from its binding). Errors are CC's words.
  struct Request {
    std::string url;
    std::string method;  // upper case
    std::optional<std::string> body;
    std::vector<HttpHeader> headers;
    bool binary = false;
    bool redirect = true;
    double timeout = 30;
  };
  // Starts (or queues behind the 16 in flight) a request; its outcome comes
  // as http_success or http_failure.
  Status request(int pid, Request req);
  // http.checkURLAsync: an http_check event follows.
  Status check(int pid, std::string url);
  // http.websocket: websocket_success or websocket_failure follows.
  Status websocket(int pid, std::string url, std::vector<HttpHeader> headers, double timeout);
  Status websocket_send(int pid, int handle, std::string data, bool binary);
  // Closes it (no websocket_closed for a close the program asked for).
  void websocket_close(int pid, int handle);
  bool websocket_open(int pid, int handle);
  Status listen(int pid, int port);
  Status unlisten(int pid, int port);

  // ---- response handles (http_success/http_failure) and a listener's
  // request handles: a body read from the start, as a file handle reads.
  struct Body {
    int pid = 0;  // its owner
    int code = 0;
    std::string message;
    std::vector<HttpHeader> headers;
    std::string data;
    std::size_t pos = 0;
    bool binary = false;
    std::string url;     // a listener's request: its path; its method
    std::string method;
    std::size_t charged = 0;  // bytes charged to the process's quota
  };
  // Runs fn on handle `handle` of pid's, under the client's lock; false when
  // there is no such handle (closed). fn must not run Lua.
  bool with_body(int pid, int handle, const std::function<void(Body&)>& fn);
  // False when there is no such handle (closed already).
  bool close_body(int pid, int handle, Kernel& kernel);
  // A listener's response handle: what the program writes, then sends at close.
  struct Answer {
    int pid = 0;  // its owner
    int port = 0;
    std::uint64_t request = 0;  // the listener's request id
    ListenerResponse response;
  };
  bool with_answer(int pid, int handle, const std::function<void(Answer&)>& fn);
  // Sends the answer; false when the handle was gone.
  bool send_answer(int pid, int handle);

  // ---- the computer's side
  // Posts the outcomes that arrived as events to their processes; on the
  // world's thread, between slices.
  void deliver(Kernel& kernel);
  // Everything of pid's goes (it ended).
  void process_ended(int pid);
  std::vector<NetRow> snapshot() const;
  bool has_arrivals() const;

 private:
  struct Arrival {
    enum class Kind { Response, Check, WsOpen, WsFailed, WsMessage, WsClosed, ListenerRequest } kind;
    std::uint64_t key = 0;  // the request's, socket's or listener's key
    HttpOutcome outcome;
    WebSocketEvent ws;
    ListenerRequest request;
    int port = 0;
  };
  struct InFlight {
    int pid = 0;
    std::string url;
    bool check = false;
    bool binary = false;
    std::uint64_t transfer = 0;  // the service's id; 0 while queued
    HttpRequestSpec spec;        // while queued
    double started = 0;
  };
  struct Socket {
    int pid = 0;
    int handle = 0;
    std::string url;
    std::uint64_t id = 0;  // the service's
    bool open = false;
    double started = 0;
  };
  struct Listening {
    int pid = 0;
    std::unique_ptr<HttpListener> listener;
  };

  void arrive(Arrival&& a);
  struct Alive;
  static void arrive_if_alive(const std::weak_ptr<Alive>& alive, Arrival&& a);
  void start_queued();  // lock held
  std::uint64_t start_transfer(std::uint64_t key, InFlight& f);  // lock held
  int next_handle();
  double clock() const;
  void deliver_one(Kernel& kernel, Arrival& a);

  NetServices& services_;
  std::shared_ptr<const HttpConfig> config_;
  std::shared_ptr<const HttpRules> rules_;
  std::function<void()> wake_;

  mutable std::mutex mutex_;
  std::map<std::uint64_t, InFlight> requests_;  // by key, in order
  std::map<std::uint64_t, Socket> sockets_;      // by key
  std::map<int, Listening> listeners_;           // by port
  std::map<int, Body> bodies_;                   // by handle
  std::map<int, Answer> answers_;                // by handle
  std::uint64_t next_key_ = 1;
  int next_handle_ = 1;

  mutable std::mutex inbox_mutex_;
  std::vector<Arrival> inbox_;
  // Shared with the network threads' callbacks: false once this client is
  // gone, so that a late outcome is dropped.
  struct Alive {
    std::mutex mutex;
    HttpClient* client = nullptr;
  };
  std::shared_ptr<Alive> alive_;
};

}  // namespace moonbox
