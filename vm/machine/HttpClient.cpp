#include "vm/machine/HttpClient.h"

#include <algorithm>
#include <chrono>

#include "vm/kernel/Kernel.h"
#include "vm/kernel/ValueCodec.h"

namespace moonbox {

namespace {

// More requests than this waiting behind the ones in flight are refused: a
// bound on what a program can make the host keep.
constexpr std::size_t kMaxQueuedRequests = 256;
constexpr std::size_t kMaxListeners = 16;
constexpr const char* kUserAgent = "computercraft/1.113.0 moonbox";

bool has_header(const std::vector<HttpHeader>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const HttpHeader& h) {
    return h.name.size() == name.size() && std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  });
}

// The token a handle travels as in an event's values: {moonbox_handle =
// kind, id = handle}. The program's pullEvent turns it into the handle
// (vm/lua/LibHttp.cpp); a program can forge one only for its own handles.
void write_token(MessageWriter& w, std::string_view kind, int handle) {
  w.begin_table().key("moonbox_handle").string(kind).key("id").integer(handle).end_table();
}

}  // namespace

HttpService& NetServices::http() {
  std::lock_guard lock(mutex_);
  if (!http_) http_ = std::make_unique<HttpService>();
  return *http_;
}

WebSocketService& NetServices::websockets() {
  std::lock_guard lock(mutex_);
  if (!websockets_) websockets_ = std::make_unique<WebSocketService>();
  return *websockets_;
}

HttpClient::HttpClient(NetServices& services, std::shared_ptr<const HttpConfig> config, std::function<void()> wake)
    : services_(services),
      config_(std::move(config)),
      rules_(std::make_shared<const HttpRules>(config_->rules)),
      wake_(std::move(wake)),
      alive_(std::make_shared<Alive>()) {
  alive_->client = this;
}

HttpClient::~HttpClient() {
  {
    std::lock_guard lock(alive_->mutex);
    alive_->client = nullptr;
  }
  std::lock_guard lock(mutex_);
  for (auto& [key, f] : requests_)
    if (f.transfer) services_.http().cancel(f.transfer);
  for (auto& [key, s] : sockets_) services_.websockets().close(s.id);
  listeners_.clear();
}

double HttpClient::clock() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int HttpClient::next_handle() { return next_handle_++; }

void HttpClient::arrive(Arrival&& a) {
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(a));
  }
  if (wake_) wake_();
}

bool HttpClient::has_arrivals() const {
  std::lock_guard lock(inbox_mutex_);
  return !inbox_.empty();
}

// Hands an outcome from a network thread to the client, unless the client
// is gone (the computer turned off meanwhile).
void HttpClient::arrive_if_alive(const std::weak_ptr<Alive>& alive, Arrival&& a) {
  auto live = alive.lock();
  if (!live) return;
  std::lock_guard lock(live->mutex);
  if (live->client) live->client->arrive(std::move(a));
}

// ---------------------------------------------------------------- requests

std::uint64_t HttpClient::start_transfer(std::uint64_t key, InFlight& f) {
  std::weak_ptr<Alive> alive = alive_;
  bool check = f.check;
  return services_.http().start(std::move(f.spec), [alive, key, check](HttpOutcome&& out) {
    arrive_if_alive(alive, {check ? Arrival::Kind::Check : Arrival::Kind::Response, key, std::move(out), {}, {}, 0});
  });
}

void HttpClient::start_queued() {
  int running = 0;
  for (auto& [key, f] : requests_)
    if (f.transfer && !f.check) running++;
  for (auto& [key, f] : requests_) {
    if (running >= config_->limits.max_requests) break;
    if (f.transfer || f.check) continue;
    f.transfer = start_transfer(key, f);
    running++;
  }
}

Status HttpClient::request(int pid, Request req) {
  const HttpLimits& limits = config_->limits;
  HttpRequestSpec spec;
  spec.url = req.url;
  spec.method = req.method;
  spec.body = std::move(req.body);
  spec.headers = std::move(req.headers);
  spec.redirect = req.redirect;
  spec.timeout = req.timeout;
  spec.max_download = limits.max_download;
  spec.rules = rules_;
  if (!has_header(spec.headers, "User-Agent")) spec.headers.push_back({"User-Agent", kUserAgent});
  if (!has_header(spec.headers, "Accept-Charset")) spec.headers.push_back({"Accept-Charset", "UTF-8"});
  if (spec.body && !has_header(spec.headers, "Content-Type"))
    spec.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  std::size_t upload = spec.body ? spec.body->size() : 0;
  for (const HttpHeader& h : spec.headers) upload += h.name.size() + h.value.size() + 1;

  std::lock_guard lock(mutex_);
  if (requests_.size() >= kMaxQueuedRequests + static_cast<std::size_t>(limits.max_requests))
    return Status::failure(Err::NotFound, "Too many ongoing HTTP requests");
  std::uint64_t key = next_key_++;
  InFlight& f = requests_[key];
  f.pid = pid;
  f.url = req.url;
  f.binary = req.binary;
  f.started = clock();
  if (upload > limits.max_upload) {  // CC says so with an http_failure, as for any failure
    HttpOutcome out;
    out.error = "Request body is too large";
    arrive({Arrival::Kind::Response, key, std::move(out), {}, {}, 0});
    return {};
  }
  f.spec = std::move(spec);
  start_queued();
  return {};
}

Status HttpClient::check(int pid, std::string url) {
  std::lock_guard lock(mutex_);
  int checks = 0;
  for (auto& [key, f] : requests_) checks += f.check;
  if (checks >= static_cast<int>(kMaxQueuedRequests)) return Status::failure(Err::NotFound, "Too many ongoing checkUrl calls");
  std::uint64_t key = next_key_++;
  InFlight& f = requests_[key];
  f.pid = pid;
  f.url = url;
  f.check = true;
  f.started = clock();
  f.spec.url = std::move(url);
  f.spec.check_only = true;
  f.spec.timeout = config_->limits.timeout;
  f.spec.rules = rules_;
  f.transfer = start_transfer(key, f);
  return {};
}

// ---------------------------------------------------------------- websockets

Status HttpClient::websocket(int pid, std::string url, std::vector<HttpHeader> headers, double timeout) {
  std::lock_guard lock(mutex_);
  if (sockets_.size() >= static_cast<std::size_t>(config_->limits.max_websockets))
    return Status::failure(Err::NotFound, "Too many websockets already open");
  std::uint64_t key = next_key_++;
  Socket& s = sockets_[key];
  s.pid = pid;
  s.handle = next_handle();
  s.url = url;
  s.started = clock();
  WebSocketSpec spec{std::move(url), std::move(headers), timeout, config_->limits.max_websocket_message, rules_};
  std::weak_ptr<Alive> alive = alive_;
  s.id = services_.websockets().connect(std::move(spec), [alive, key](WebSocketEvent&& e) {
    Arrival::Kind kind = e.kind == WebSocketEvent::Kind::Open     ? Arrival::Kind::WsOpen
                         : e.kind == WebSocketEvent::Kind::Failed ? Arrival::Kind::WsFailed
                         : e.kind == WebSocketEvent::Kind::Message ? Arrival::Kind::WsMessage
                                                                   : Arrival::Kind::WsClosed;
    arrive_if_alive(alive, {kind, key, {}, std::move(e), {}, 0});
  });
  return {};
}

Status HttpClient::websocket_send(int pid, int handle, std::string data, bool binary) {
  std::lock_guard lock(mutex_);
  for (auto& [key, s] : sockets_) {
    if (s.pid != pid || s.handle != handle || !s.open) continue;
    if (data.size() > config_->limits.max_websocket_message)
      return Status::failure(Err::NotFound, "Message is too large");
    services_.websockets().send(s.id, std::move(data), binary);
    return {};
  }
  return Status::failure(Err::NotFound, "attempt to use a closed file");
}

void HttpClient::websocket_close(int pid, int handle) {
  std::lock_guard lock(mutex_);
  for (auto it = sockets_.begin(); it != sockets_.end(); ++it) {
    if (it->second.pid != pid || it->second.handle != handle) continue;
    services_.websockets().close(it->second.id);
    sockets_.erase(it);
    return;
  }
}

bool HttpClient::websocket_open(int pid, int handle) {
  std::lock_guard lock(mutex_);
  for (auto& [key, s] : sockets_)
    if (s.pid == pid && s.handle == handle) return s.open;
  return false;
}

// ---------------------------------------------------------------- listeners

Status HttpClient::listen(int pid, int port) {
  std::lock_guard lock(mutex_);
  if (listeners_.contains(port)) return Status::failure(Err::NotFound, std::string("Port ").append(std::to_string(port)).append(" is already in use"));
  if (listeners_.size() >= kMaxListeners) return Status::failure(Err::NotFound, "Too many listeners");
  std::weak_ptr<Alive> alive = alive_;
  std::string why;
  auto l = HttpListener::open(
      port, config_->limits.max_upload,
      [alive, port](ListenerRequest&& r) {
        arrive_if_alive(alive, {Arrival::Kind::ListenerRequest, 0, {}, {}, std::move(r), port});
      },
      &why);
  if (!l) return Status::failure(Err::NotFound, why);
  listeners_[port] = Listening{pid, std::move(l)};
  return {};
}

Status HttpClient::unlisten(int pid, int port) {
  std::unique_ptr<HttpListener> gone;  // stopped outside the lock: its thread may be arriving
  {
    std::lock_guard lock(mutex_);
    auto it = listeners_.find(port);
    if (it == listeners_.end() || it->second.pid != pid)
      return Status::failure(Err::NotFound, std::string("Not listening on port ").append(std::to_string(port)));
    gone = std::move(it->second.listener);
    listeners_.erase(it);
  }
  return {};
}

// ---------------------------------------------------------------- handles

bool HttpClient::with_body(int pid, int handle, const std::function<void(Body&)>& fn) {
  std::lock_guard lock(mutex_);
  auto it = bodies_.find(handle);
  if (it == bodies_.end() || it->second.pid != pid) return false;
  fn(it->second);
  return true;
}

bool HttpClient::close_body(int pid, int handle, Kernel& kernel) {
  std::size_t charged = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = bodies_.find(handle);
    if (it == bodies_.end() || it->second.pid != pid) return false;
    charged = it->second.charged;
    bodies_.erase(it);
  }
  if (Process* p = kernel.find(pid); p && charged) p->memory().discharge(charged);
  return true;
}

bool HttpClient::with_answer(int pid, int handle, const std::function<void(Answer&)>& fn) {
  std::lock_guard lock(mutex_);
  auto it = answers_.find(handle);
  if (it == answers_.end() || it->second.pid != pid) return false;
  fn(it->second);
  return true;
}

bool HttpClient::send_answer(int pid, int handle) {
  std::lock_guard lock(mutex_);
  auto it = answers_.find(handle);
  if (it == answers_.end() || it->second.pid != pid) return false;
  auto l = listeners_.find(it->second.port);
  if (l != listeners_.end()) l->second.listener->respond(it->second.request, std::move(it->second.response));
  answers_.erase(it);
  return true;
}

void HttpClient::process_ended(int pid) {
  std::vector<std::unique_ptr<HttpListener>> gone;
  {
    std::lock_guard lock(mutex_);
    for (auto it = requests_.begin(); it != requests_.end();) {
      if (it->second.pid != pid) {
        ++it;
        continue;
      }
      if (it->second.transfer) services_.http().cancel(it->second.transfer);
      it = requests_.erase(it);
    }
    for (auto it = sockets_.begin(); it != sockets_.end();) {
      if (it->second.pid != pid) {
        ++it;
        continue;
      }
      services_.websockets().close(it->second.id);
      it = sockets_.erase(it);
    }
    for (auto it = answers_.begin(); it != answers_.end();) {
      if (it->second.pid != pid) {
        ++it;
        continue;
      }
      auto l = listeners_.find(it->second.port);
      if (l != listeners_.end())
        l->second.listener->respond(it->second.request, {500, {}, "The program ended without answering\n"});
      it = answers_.erase(it);
    }
    for (auto it = listeners_.begin(); it != listeners_.end();) {
      if (it->second.pid != pid) {
        ++it;
        continue;
      }
      gone.push_back(std::move(it->second.listener));
      it = listeners_.erase(it);
    }
    std::erase_if(bodies_, [&](auto& b) { return b.second.pid == pid; });
    start_queued();
  }
}

// ---------------------------------------------------------------- delivery

void HttpClient::deliver(Kernel& kernel) {
  std::vector<Arrival> arrived;
  {
    std::lock_guard lock(inbox_mutex_);
    arrived.swap(inbox_);
  }
  for (Arrival& a : arrived) deliver_one(kernel, a);
}

void HttpClient::deliver_one(Kernel& kernel, Arrival& a) {
  std::lock_guard lock(mutex_);
  std::string payload;
  MessageWriter w(payload);
  int pid = 0;
  const char* name = nullptr;
  int handle = 0;  // a body handle made for this event, dropped if it cannot be posted
  int answer = 0;
  double now = kernel.now();
  switch (a.kind) {
    case Arrival::Kind::Check:
    case Arrival::Kind::Response: {
      auto it = requests_.find(a.key);
      if (it == requests_.end()) return;  // its process ended meanwhile
      InFlight f = std::move(it->second);
      requests_.erase(it);
      start_queued();
      pid = f.pid;
      HttpOutcome& out = a.outcome;
      if (f.check) {
        name = "http_check";
        w.string(f.url).boolean(out.ok);
        if (out.ok) w.nil();
        else w.string(out.error);
        break;
      }
      Process* p = kernel.find(pid);
      if (!p || !p->alive()) return;
      if (out.has_response && !p->memory().charge(out.body.size())) {
        out.has_response = false;
        out.ok = false;
        out.error = "Response is too large";
      }
      kernel.trace().record_network(TraceKind::HttpResponse, now, pid, out.code, "http_response", out.body.size(),
                                    f.url, out.seconds);
      if (out.has_response) {
        handle = next_handle();
        Body& b = bodies_[handle];
        b.pid = pid;
        b.code = out.code;
        b.message = out.message;
        b.headers = std::move(out.headers);
        b.data = std::move(out.body);
        b.binary = f.binary;
        b.url = f.url;
        b.charged = b.data.size();
      }
      name = out.ok ? "http_success" : "http_failure";
      w.string(f.url);
      if (!out.ok) w.string(out.error);
      if (handle) write_token(w, "response", handle);
      break;
    }
    case Arrival::Kind::WsOpen:
    case Arrival::Kind::WsFailed:
    case Arrival::Kind::WsMessage:
    case Arrival::Kind::WsClosed: {
      auto it = sockets_.find(a.key);
      if (it == sockets_.end()) return;  // closed by its program, or its process ended
      Socket& s = it->second;
      pid = s.pid;
      w.string(s.url);
      if (a.kind == Arrival::Kind::WsOpen) {
        s.open = true;
        name = "websocket_success";
        write_token(w, "websocket", s.handle);
      } else if (a.kind == Arrival::Kind::WsMessage) {
        name = "websocket_message";
        w.string(a.ws.text).boolean(a.ws.binary);
        kernel.trace().record_network(TraceKind::WebsocketMessage, now, pid, 0, "websocket_message",
                                      a.ws.text.size(), s.url, 0);
      } else {
        name = a.kind == Arrival::Kind::WsFailed ? "websocket_failure" : "websocket_closed";
        w.string(a.ws.text);
        if (a.kind == Arrival::Kind::WsClosed) {
          if (a.ws.code) w.integer(a.ws.code);
          else w.nil();
        }
        sockets_.erase(it);
      }
      break;
    }
    case Arrival::Kind::ListenerRequest: {
      auto l = listeners_.find(a.port);
      if (l == listeners_.end()) return;
      pid = l->second.pid;
      handle = next_handle();
      Body& b = bodies_[handle];
      b.pid = pid;
      b.data = std::move(a.request.body);
      b.url = std::move(a.request.url);
      b.method = std::move(a.request.method);
      b.headers = std::move(a.request.headers);
      answer = next_handle();
      answers_[answer] = Answer{pid, a.port, a.request.id, {}};
      name = "http_request";
      w.integer(a.port);
      write_token(w, "request", handle);
      write_token(w, "answer", answer);
      break;
    }
  }
  w.finish();
  if (kernel.post_event(pid, name, payload).ok()) return;
  // Not delivered (the process is gone or its queue is full): nothing waits
  // for what the event carried.
  if (handle) {
    if (Process* p = kernel.find(pid); p && bodies_[handle].charged) p->memory().discharge(bodies_[handle].charged);
    bodies_.erase(handle);
  }
  if (answer) {
    Answer& ans = answers_[answer];
    auto l = listeners_.find(ans.port);
    if (l != listeners_.end()) l->second.listener->respond(ans.request, {503, {}, "The computer is busy\n"});
    answers_.erase(answer);
  }
}

std::vector<NetRow> HttpClient::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<NetRow> rows;
  double now = clock();
  for (const auto& [key, f] : requests_)
    rows.push_back({f.pid, f.check ? "check" : "request", f.url, f.transfer || f.check ? "connecting" : "queued", 0,
                    now - f.started});
  for (const auto& [key, s] : sockets_)
    rows.push_back({s.pid, "websocket", s.url, s.open ? "open" : "connecting", 0, now - s.started});
  for (const auto& [port, l] : listeners_)
    rows.push_back({l.pid, "listener", std::string("127.0.0.1:").append(std::to_string(port)), "listening", 0, 0});
  for (const auto& [h, b] : bodies_) {
    rows.push_back({b.pid, b.method.empty() ? "response" : "request in",
                    b.url, b.method.empty() ? std::string("done ").append(std::to_string(b.code)) : "to answer", b.data.size(), 0});
  }
  return rows;
}

}  // namespace moonbox
