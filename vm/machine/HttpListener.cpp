#include "vm/machine/HttpListener.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <chrono>
#include <cstring>

namespace moonbox {

struct HttpListener::Held {
  std::uint64_t id = 0;
  MHD_Connection* connection = nullptr;
  ListenerRequest request;
  bool too_large = false;
  bool started = false;                    // the first call (headers only) is over
  bool heard = false;                      // on_request has it
  std::unique_ptr<ListenerResponse> answer;  // set by respond(), then sent
};

namespace {

MHD_Result collect_header(void* out, MHD_ValueKind, const char* key, const char* value) {
  static_cast<std::vector<HttpHeader>*>(out)->push_back({key ? key : "", value ? value : ""});
  return MHD_YES;
}

bool send(MHD_Connection* c, const ListenerResponse& r) {
  MHD_Response* response = MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()),
                                                           MHD_RESPMEM_MUST_COPY);
  if (!response) return false;
  for (const HttpHeader& h : r.headers) MHD_add_response_header(response, h.name.c_str(), h.value.c_str());
  MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.code), response);
  MHD_destroy_response(response);
  return ok == MHD_YES;
}

MHD_Result on_access(void* self, MHD_Connection* c, const char* url, const char* method, const char*,
                     const char* upload, std::size_t* upload_size, void** state) {
  return static_cast<HttpListener*>(self)->access(c, url, method, upload, upload_size, state) ? MHD_YES : MHD_NO;
}

// The request's target as sent, query included (the access callback's url
// lacks the query): the held request starts here.
void* on_uri(void*, const char* uri, MHD_Connection* c) {
  auto* h = new HttpListener::Held;
  h->connection = c;
  h->request.url = uri ? uri : "/";
  return h;
}

void on_completed(void* self, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
  static_cast<HttpListener*>(self)->completed(state);
}

}  // namespace

std::unique_ptr<HttpListener> HttpListener::open(int port, std::size_t max_body, OnRequest on_request,
                                                 std::string* why) {
  std::unique_ptr<HttpListener> l(new HttpListener(port, max_body, std::move(on_request)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // the host only, never the network
  l->daemon_ = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME, static_cast<std::uint16_t>(port), nullptr,
      nullptr, &on_access, l.get(), MHD_OPTION_SOCK_ADDR,
      &addr, MHD_OPTION_URI_LOG_CALLBACK, &on_uri, nullptr, MHD_OPTION_NOTIFY_COMPLETED,
      &on_completed, l.get(), MHD_OPTION_END);
  if (!l->daemon_) {
    if (why) *why = std::string("Port ").append(std::to_string(port)).append(" is already in use");
    return nullptr;
  }
  return l;
}

HttpListener::~HttpListener() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  // A suspended connection must be resumed before the server stops: what
  // the program never answered gets a 503.
  for (auto& [id, h] : held_) {
    if (h->answer) continue;  // answered: on its way
    h->answer = std::make_unique<ListenerResponse>(ListenerResponse{503, {}, "The computer stopped listening\n"});
    MHD_resume_connection(h->connection);
  }
  // An answer given just before (http.listen's callback answers, then the
  // listener goes) is sent before the server stops.
  drained_.wait_for(lock, std::chrono::seconds(1), [this] { return held_.empty(); });
  lock.unlock();
  MHD_stop_daemon(daemon_);
}

bool HttpListener::respond(std::uint64_t id, ListenerResponse response) {
  std::lock_guard lock(mutex_);
  auto it = held_.find(id);
  if (it == held_.end() || it->second->answer) return false;
  it->second->answer = std::make_unique<ListenerResponse>(std::move(response));
  MHD_resume_connection(it->second->connection);
  return true;
}

bool HttpListener::access(MHD_Connection* c, const char* url, const char* method, const char* upload,
                          std::size_t* upload_size, void** state) {
  HttpListener* self = this;
  auto* h = static_cast<Held*>(*state);
  if (!h) {  // not through on_uri (it always is): make it here
    h = new Held;
    h->connection = c;
    h->request.url = url;
    *state = h;
  }
  if (!h->started) {  // the first call: only the headers have arrived
    h->started = true;
    h->request.method = method;
    MHD_get_connection_values(c, MHD_HEADER_KIND, &collect_header, &h->request.headers);
    return true;
  }
  if (*upload_size) {  // a piece of the body
    if (h->request.body.size() + *upload_size > self->max_body_) h->too_large = true;
    else h->request.body.append(upload, *upload_size);
    *upload_size = 0;
    return true;
  }
  if (h->too_large) return send(c, {413, {}, "Request body is too large\n"});
  std::unique_lock lock(self->mutex_);
  if (h->answer) return send(c, *h->answer);  // resumed: the program answered
  if (self->stopping_) return send(c, {503, {}, "The computer stopped listening\n"});
  if (!h->heard) {
    h->heard = true;
    h->id = h->request.id = self->next_id_++;
    self->held_[h->id] = h;
    MHD_suspend_connection(c);
    ListenerRequest copy = h->request;
    lock.unlock();
    self->on_request_(std::move(copy));
  }
  return true;
}

void HttpListener::completed(void** state) {
  HttpListener* self = this;
  auto* h = static_cast<Held*>(*state);
  if (!h) return;
  {
    std::lock_guard lock(self->mutex_);
    if (h->heard) self->held_.erase(h->id);
    if (self->held_.empty()) self->drained_.notify_all();
  }
  delete h;
  *state = nullptr;
}

}  // namespace moonbox
