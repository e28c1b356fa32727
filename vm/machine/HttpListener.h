// HttpListener: CraftOS-PC's http.addListener(port): a computer serves HTTP
// to the host, on 127.0.0.1 only. Each listener is a libmicrohttpd server
// with a thread of its own. A request is held (suspended) while the program
// answers it: `on_request` hears it on the server's thread, and respond()
// (from any thread) sends the answer and lets the connection go on.
#pragma once

#include <cstdint>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vm/machine/HttpService.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace moonbox {

struct ListenerRequest {
  std::uint64_t id = 0;
  std::string method;
  std::string url;  // the path and query, as sent
  std::vector<HttpHeader> headers;
  std::string body;
};

struct ListenerResponse {
  int code = 200;
  std::vector<HttpHeader> headers;
  std::string body;
};

class HttpListener {
 public:
  using OnRequest = std::function<void(ListenerRequest&&)>;
  // Starts serving 127.0.0.1:port; `why` says why it could not (the port
  // is taken). Requests whose body is over max_body get 413 unheard.
  static std::unique_ptr<HttpListener> open(int port, std::size_t max_body, OnRequest on_request, std::string* why);
  // Answers what is still unanswered with 503, lets answers on their way
  // finish (a second at most), then stops.
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  int port() const { return port_; }
  // Answers request `id`; false when it is not held any more.
  bool respond(std::uint64_t id, ListenerResponse response);

  struct Held;  // a request being answered (HttpListener.cpp)
  // What libmicrohttpd's callbacks do (HttpListener.cpp): true for MHD_YES.
  bool access(MHD_Connection* c, const char* url, const char* method, const char* upload, std::size_t* upload_size,
              void** state);
  void completed(void** state);

 private:
  HttpListener(int port, std::size_t max_body, OnRequest on_request)
      : port_(port), max_body_(max_body), on_request_(std::move(on_request)) {}
  int port_;
  std::size_t max_body_;
  OnRequest on_request_;
  MHD_Daemon* daemon_ = nullptr;
  std::mutex mutex_;
  std::condition_variable drained_;  // held_ became empty
  std::map<std::uint64_t, Held*> held_;  // suspended, waiting for respond()
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
};

}  // namespace moonbox
