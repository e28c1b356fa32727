#include "vm/machine/WebSocketService.h"

#include <curl/curl.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace moonbox {

struct WebSocketService::Socket {
  std::uint64_t id = 0;
  WebSocketSpec spec;
  Listener listener;
  std::string host;       // as the URL gives it (Host header, TLS name)
  std::string address;    // the checked address, numeric
  std::string path = "/";
  int port = 80;
  bool tls = false;
  ::lws* wsi = nullptr;       // the service thread's
  std::deque<std::pair<std::string, bool>> outgoing;  // guarded by the service's mutex_
  bool closing = false;            // guarded by mutex_
  bool told_end = false;           // Failed or Closed was told
  std::string incoming;            // the message being received (service thread)
  bool oversized = false;          // a message over the limit: closing (service thread)
  int close_code = 0;              // from the peer's close frame
  std::string close_reason;
};

namespace {

int on_callback(lws* wsi, lws_callback_reasons reason, void*, void* in, std::size_t len) {
  return WebSocketService::callback(wsi, static_cast<int>(reason), in, len);
}

const lws_protocols kProtocols[] = {
    // An explicit receive buffer: with 0 (the default), libwebsockets 4.1
    // overruns its own buffer on a frame of over 64 KiB.
    {"moonbox", &on_callback, 0, 65536, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

// Splits a ws:// URL with curl's parser: false when it cannot be read.
bool split_url(const std::string& url, WebSocketService::Socket& s) {
  CURLU* u = curl_url();
  if (!u) return false;
  bool fine = false;
  char *scheme = nullptr, *host = nullptr, *port = nullptr, *path = nullptr, *query = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    s.tls = std::strcmp(scheme, "wss") == 0;
    s.host = host;
    if (s.host.size() > 2 && s.host.front() == '[') s.host = s.host.substr(1, s.host.size() - 2);
    s.port = s.tls ? 443 : 80;
    if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK) s.port = std::atoi(port);
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK && *path) s.path = path;
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) s.path += std::string("?") + query;
    fine = true;
  }
  for (char* part : {scheme, host, port, path, query}) curl_free(part);
  curl_url_cleanup(u);
  return fine;
}

}  // namespace

WebSocketService::WebSocketService() {
  lws_set_log_level(0, nullptr);  // its log would go to the user's terminal
  lws_context_creation_info info{};
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = kProtocols;
  info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  info.timeout_secs = 30;
  info.user = this;
  context_ = lws_create_context(&info);
  resolver_ = std::thread([this] { resolve_loop(); });
  service_ = std::thread([this] { service_loop(); });
}

WebSocketService::~WebSocketService() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  resolve_cv_.notify_all();
  wake();
  resolver_.join();
  service_.join();
  if (context_) lws_context_destroy(context_);
}

void WebSocketService::wake() {
  if (context_) lws_cancel_service(context_);
}

std::uint64_t WebSocketService::connect(WebSocketSpec spec, Listener listener) {
  auto s = std::make_shared<Socket>();
  s->spec = std::move(spec);
  s->listener = std::move(listener);
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = s->id = next_id_++;
    sockets_[id] = s;
    to_resolve_.push_back(s);
  }
  resolve_cv_.notify_one();
  return id;
}

void WebSocketService::send(std::uint64_t id, std::string data, bool binary) {
  {
    std::lock_guard lock(mutex_);
    auto it = sockets_.find(id);
    if (it == sockets_.end() || it->second->closing) return;
    it->second->outgoing.emplace_back(std::move(data), binary);
    to_write_.push_back(id);
  }
  wake();
}

void WebSocketService::close(std::uint64_t id) {
  {
    std::lock_guard listening(listener_mutex_);
    std::lock_guard lock(mutex_);
    auto it = sockets_.find(id);
    if (it == sockets_.end()) return;
    it->second->closing = true;
    it->second->listener = nullptr;
    to_write_.push_back(id);
  }
  wake();
}

void WebSocketService::tell(Socket& s, WebSocketEvent&& e) {
  std::lock_guard listening(listener_mutex_);
  if (s.told_end) return;
  if (e.kind == WebSocketEvent::Kind::Failed || e.kind == WebSocketEvent::Kind::Closed) s.told_end = true;
  if (s.listener) s.listener(std::move(e));
}

void WebSocketService::resolve_loop() {
  for (;;) {
    std::shared_ptr<Socket> s;
    {
      std::unique_lock lock(mutex_);
      resolve_cv_.wait(lock, [this] { return stop_ || !to_resolve_.empty(); });
      if (stop_) return;
      s = to_resolve_.front();
      to_resolve_.pop_front();
    }
    std::string failure;
    if (!split_url(s->spec.url, *s)) failure = "URL malformed";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (failure.empty() && getaddrinfo(s->host.c_str(), nullptr, &hints, &found) != 0) failure = "Unknown host";
    if (failure.empty()) {
      // CC checks the address the name resolves to first, and connects to it.
      if (!s->spec.rules || !s->spec.rules->allows(s->host, found->ai_addr)) {
        failure = "Domain not permitted";
      } else {
        char text[NI_MAXHOST];
        getnameinfo(found->ai_addr, found->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
        s->address = text;
      }
    }
    if (found) freeaddrinfo(found);
    if (!failure.empty()) {
      tell(*s, {WebSocketEvent::Kind::Failed, failure, false, 0});
      std::lock_guard lock(mutex_);
      sockets_.erase(s->id);
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      to_connect_.push_back(s);
    }
    wake();
  }
}

void WebSocketService::service_loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    if (!context_ || lws_service(context_, 0) < 0) return;
  }
}

void WebSocketService::take_requests() {
  std::deque<std::shared_ptr<Socket>> connecting;
  std::vector<std::uint64_t> writing;
  std::vector<std::shared_ptr<Socket>> ready;
  {
    std::lock_guard lock(mutex_);
    connecting.swap(to_connect_);
    writing.swap(to_write_);
    for (std::uint64_t id : writing) {
      auto it = sockets_.find(id);
      if (it != sockets_.end()) ready.push_back(it->second);
    }
  }
  for (auto& s : connecting) {
    bool closing;
    {
      std::lock_guard lock(mutex_);
      closing = s->closing;
    }
    if (closing) {
      std::lock_guard lock(mutex_);
      sockets_.erase(s->id);
      continue;
    }
    lws_client_connect_info i{};
    i.context = context_;
    i.address = s->address.c_str();
    i.port = s->port;
    i.path = s->path.c_str();
    i.host = s->host.c_str();
    i.origin = s->host.c_str();
    i.ssl_connection = s->tls ? LCCSCF_USE_SSL : 0;
    i.local_protocol_name = "moonbox";
    i.opaque_user_data = s.get();
    i.pwsi = &s->wsi;
    if (!lws_client_connect_via_info(&i) && !s->told_end) {
      s->wsi = nullptr;
      tell(*s, {WebSocketEvent::Kind::Failed, "Could not connect", false, 0});
      std::lock_guard lock(mutex_);
      sockets_.erase(s->id);
    }
  }
  for (auto& s : ready)
    if (s->wsi) lws_callback_on_writable(s->wsi);
}

int WebSocketService::callback(lws* wsi, int reason, void* in, std::size_t len) {
  auto* self = static_cast<WebSocketService*>(lws_context_user(lws_get_context(wsi)));
  if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
    if (self) self->take_requests();
    return 0;
  }
  auto* s = static_cast<Socket*>(lws_get_opaque_user_data(wsi));
  if (!s || !self) return 0;
  auto forget = [&] {
    s->wsi = nullptr;
    lws_set_opaque_user_data(wsi, nullptr);  // libwebsockets may call once more for this wsi
    std::lock_guard lock(self->mutex_);
    self->sockets_.erase(s->id);  // may free s: last use
  };
  switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
      auto** p = static_cast<unsigned char**>(in);
      unsigned char* end = *p + len;
      bool agent = false;
      for (const HttpHeader& h : s->spec.headers) {
        std::string name = ascii_lower(h.name) + ":";
        if (name == "user-agent:") agent = true;
        if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name.c_str()),
                                        reinterpret_cast<const unsigned char*>(h.value.data()),
                                        static_cast<int>(h.value.size()), p, end))
          return -1;
      }
      static const char kAgent[] = "computercraft/1.113.0 moonbox";
      if (!agent && lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>("user-agent:"),
                                                reinterpret_cast<const unsigned char*>(kAgent),
                                                static_cast<int>(sizeof kAgent - 1), p, end))
        return -1;
      return 0;
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      self->tell(*s, {WebSocketEvent::Kind::Open, {}, false, 0});
      return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      self->tell(*s, {WebSocketEvent::Kind::Failed, "Could not connect", false, 0});
      forget();
      return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE: {
      if (s->oversized) return 0;  // the rest of it, dropped while the socket closes
      if (s->incoming.size() + len > s->spec.max_message) {
        // Closed from the writeable callback: closing from inside a
        // receive corrupts libwebsockets 4.1's buffers.
        s->oversized = true;
        s->incoming.clear();
        s->incoming.shrink_to_fit();
        s->close_code = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
        s->close_reason = "Message is too large";
        lws_callback_on_writable(wsi);
        return 0;
      }
      s->incoming.append(static_cast<const char*>(in), len);
      if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
        WebSocketEvent e{WebSocketEvent::Kind::Message, std::move(s->incoming), lws_frame_is_binary(wsi) != 0, 0};
        s->incoming.clear();
        self->tell(*s, std::move(e));
      }
      return 0;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
      std::pair<std::string, bool> message;
      bool more = false, closing = false, have = false;
      {
        std::lock_guard lock(self->mutex_);
        closing = s->closing;
        if (!closing && !s->outgoing.empty()) {
          message = std::move(s->outgoing.front());
          s->outgoing.pop_front();
          have = true;
          more = !s->outgoing.empty();
        }
      }
      if (s->oversized) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, nullptr, 0);
        return -1;
      }
      if (closing) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, nullptr, 0);
        return -1;
      }
      if (have) {
        std::vector<unsigned char> buf(LWS_PRE + message.first.size());
        std::memcpy(buf.data() + LWS_PRE, message.first.data(), message.first.size());
        lws_write(wsi, buf.data() + LWS_PRE, message.first.size(), message.second ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
      }
      if (more) lws_callback_on_writable(wsi);
      return 0;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      if (len >= 2 && !s->oversized) {
        const auto* b = static_cast<const unsigned char*>(in);
        s->close_code = b[0] << 8 | b[1];
        s->close_reason.assign(reinterpret_cast<const char*>(b + 2), len - 2);
      }
      return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
      self->tell(*s, {WebSocketEvent::Kind::Closed, s->close_reason, false, s->close_code});
      forget();
      return 0;
    default:
      return 0;
  }
}

}  // namespace moonbox
