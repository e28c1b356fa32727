// WebSocketService: the world's websocket connections (CC's
// http.websocket), on a network thread of their own running libwebsockets
// (Debian's libcurl 7.88 is built without websocket support). Before a
// connection is made, its host is resolved and the address checked
// against the rules on a resolver thread; the connection then goes to that
// very address, so a name cannot resolve differently the second time.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vm/machine/HttpService.h"

struct lws;
struct lws_context;

namespace moonbox {

struct WebSocketSpec {
  std::string url;  // ws:// or wss://, checked by check_url
  std::vector<HttpHeader> headers;
  double timeout = 30;
  std::size_t max_message = 128 * 1024;
  std::shared_ptr<const HttpRules> rules;
};

struct WebSocketEvent {
  enum class Kind { Open, Failed, Message, Closed } kind = Kind::Open;
  std::string text;  // Failed: CC's words; Message: the message; Closed: the reason
  bool binary = false;
  int code = 0;      // Closed: the close code (0 when none was given)
};

class WebSocketService {
 public:
  using Listener = std::function<void(WebSocketEvent&&)>;
  WebSocketService();
  ~WebSocketService();
  WebSocketService(const WebSocketService&) = delete;
  WebSocketService& operator=(const WebSocketService&) = delete;

  // Starts connecting; `listener` hears Open or Failed, then Messages and at
  // last Closed, on the network threads. Returns the connection's id.
  std::uint64_t connect(WebSocketSpec spec, Listener listener);
  // Queues a message (sent in order).
  void send(std::uint64_t id, std::string data, bool binary);
  // Closes the connection; its listener is not called once this returns.
  void close(std::uint64_t id);

  struct Socket;  // one connection (WebSocketService.cpp)
  // libwebsockets' protocol callback (a plain function, hence public).
  static int callback(::lws* wsi, int reason, void* in, std::size_t len);

 private:
  void resolve_loop();
  void service_loop();
  void wake();
  // Runs what the other threads asked for; on the service thread.
  void take_requests();
  void tell(Socket& s, WebSocketEvent&& e);

  std::mutex mutex_;  // guards everything below but context_ and the service thread's own
  std::condition_variable resolve_cv_;
  std::map<std::uint64_t, std::shared_ptr<Socket>> sockets_;
  std::deque<std::shared_ptr<Socket>> to_resolve_;
  std::deque<std::shared_ptr<Socket>> to_connect_;
  std::vector<std::uint64_t> to_write_;  // sockets with queued messages or a close
  std::uint64_t next_id_ = 1;
  bool stop_ = false;
  std::mutex listener_mutex_;  // held while a listener runs and while one is removed
  ::lws_context* context_ = nullptr;
  std::thread resolver_;
  std::thread service_;
};

}  // namespace moonbox
