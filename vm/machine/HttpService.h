// HttpService: the world's HTTP transfers, on one network thread of their
// own (libcurl's multi interface), so that no Lua thread and no window ever
// waits on the network. A transfer is started with what it asks for and a
// callback; the callback runs once, on the network thread, with the outcome
// in CC's words. Each connection is checked against the rules when its
// socket is about to open (after DNS, before anything is sent), so a denied
// host is never contacted, redirects included.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vm/machine/HttpRules.h"

namespace moonbox {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequestSpec {
  std::string url;
  std::string method = "GET";
  std::optional<std::string> body;
  std::vector<HttpHeader> headers;
  bool redirect = true;
  double timeout = 30;                  // seconds; 0: none
  std::size_t max_download = 16 << 20;  // a larger body fails the request
  // checkURL: resolve the host and apply the rules, but never connect.
  bool check_only = false;
  std::shared_ptr<const HttpRules> rules;
};

struct HttpOutcome {
  bool ok = false;          // 2xx/3xx (or the check passed)
  std::string error;        // CC's words when !ok
  bool has_response = false;
  int code = 0;
  std::string message;      // the status line's reason phrase
  std::vector<HttpHeader> headers;
  std::string body;
  std::string final_url;
  double seconds = 0;       // time taken
  std::size_t sent = 0;     // bytes of the request body
};

class HttpService {
 public:
  using Done = std::function<void(HttpOutcome&&)>;
  HttpService();
  ~HttpService();
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // Starts a transfer; `done` runs once on the network thread, unless the
  // transfer is cancelled first. Returns its id.
  std::uint64_t start(HttpRequestSpec spec, Done done);
  // The transfer stops (its connection closes); its callback will not run
  // once this returns.
  void cancel(std::uint64_t id);

 // A transfer in flight (HttpService.cpp); public only so that curl's
  // callbacks, plain functions, can be its members.
  struct Transfer;

 private:
  void loop();
  void wake();
  void finish(Transfer& t, int curl_code);

  void* multi_ = nullptr;  // CURLM*
  std::mutex mutex_;       // guards what the other threads hand in, and callbacks
  std::vector<std::unique_ptr<Transfer>> incoming_;
  std::vector<std::uint64_t> cancelled_;
  std::vector<std::unique_ptr<Transfer>> running_;  // the network thread's own
  std::uint64_t next_id_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

// "URL malformed", "Must specify http or https", "Invalid protocol 'ftp'"
// when `url` cannot be requested at all (http and https; ws and wss for a
// websocket); nothing when it can. *host gets its host.
std::optional<std::string> check_url(std::string_view url, bool websocket, std::string* host = nullptr);

}  // namespace moonbox
