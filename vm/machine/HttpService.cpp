#include "vm/machine/HttpService.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace moonbox {

namespace {

// curl_global_init once per program, before the first thread uses curl.
void init_curl() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)done;
}

// The host of a URL, by curl's own parser; "" when it has none.
std::string host_of(const char* url) {
  std::string host;
  CURLU* u = curl_url();
  char* part = nullptr;
  if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    host = part;
    curl_free(part);
  }
  curl_url_cleanup(u);
  return host;
}

// Standard reason phrases, for a status line that gives none (HTTP/2).
const char* standard_reason(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Unknown Status";
  }
}

}  // namespace

std::optional<std::string> check_url(std::string_view url, bool websocket, std::string* host) {
  // CC's order (java.net.URI's view): no scheme; no host (an opaque
  // "https:google.com" or "https:/google.com" has none); then the scheme.
  std::size_t colon = url.find(':');
  bool has_scheme = colon != std::string_view::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(url[0]));
  for (std::size_t i = 1; has_scheme && i < colon; i++) {
    unsigned char c = static_cast<unsigned char>(url[i]);
    has_scheme = std::isalnum(c) || c == '+' || c == '-' || c == '.';
  }
  if (!has_scheme) return std::string(websocket ? "Must specify ws or wss" : "Must specify http or https");
  if (url.substr(colon + 1, 2) != "//") return std::string("URL malformed");
  std::string text(url);
  CURLU* u = curl_url();
  if (!u) return std::string("URL malformed");
  std::optional<std::string> error;
  char* scheme = nullptr;
  char* h = nullptr;
  if (curl_url_set(u, CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK || !*h) {
    error = "URL malformed";
  } else {
    std::string s = ascii_lower(scheme);
    bool fine = websocket ? (s == "ws" || s == "wss") : (s == "http" || s == "https");
    if (!fine) error = websocket ? "Invalid scheme '" + s + "'" : "Invalid protocol '" + s + "'";
    else if (host) *host = h;
  }
  curl_free(scheme);
  curl_free(h);
  curl_url_cleanup(u);
  return error;
}

struct HttpService::Transfer {
  std::uint64_t id = 0;
  HttpRequestSpec spec;
  Done done;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpOutcome out;
  std::string status_line;  // of the last response
  bool denied = false;       // a socket was refused by the rules
  bool allowed = false;      // a socket was let through (checkURL's answer)
  bool too_large = false;
  std::chrono::steady_clock::time_point started;

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(header_list);
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    std::size_t len = size * n;
    if (t->out.body.size() + len > t->spec.max_download) {
      t->too_large = true;
      return 0;  // curl stops with a write error
    }
    t->out.body.append(data, len);
    return len;
  }

  // Only the status line is kept here: curl_easy_nextheader gives the
  // headers themselves, parsed, once the transfer is over.
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    std::size_t len = size * n;
    if (len >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
      t->status_line.assign(data, len);
      t->out.body.clear();  // a redirect's or a 100's body is not the answer's
    }
    return len;
  }

  // The rules see each connection before it is made: the host of the URL
  // being fetched now (a redirect's too) and the address it resolved to.
  static curl_socket_t on_open(void* self, curlsocktype, curl_sockaddr* addr) {
    auto* t = static_cast<Transfer*>(self);
    char* url = nullptr;
    curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &url);
    std::string host = host_of(url ? url : t->spec.url.c_str());
    if (!t->spec.rules || !t->spec.rules->allows(host, &addr->addr)) {
      t->denied = true;
      return CURL_SOCKET_BAD;
    }
    t->allowed = true;
    if (t->spec.check_only) return CURL_SOCKET_BAD;
    return socket(addr->family, addr->socktype, addr->protocol);
  }
};

HttpService::HttpService() {
  init_curl();
  multi_ = curl_multi_init();
  thread_ = std::thread([this] { loop(); });
}

HttpService::~HttpService() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake();
  thread_.join();
  for (auto& t : running_) curl_multi_remove_handle(static_cast<CURLM*>(multi_), t->easy);
  running_.clear();
  curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

void HttpService::wake() { curl_multi_wakeup(static_cast<CURLM*>(multi_)); }

std::uint64_t HttpService::start(HttpRequestSpec spec, Done done) {
  auto t = std::make_unique<Transfer>();
  t->spec = std::move(spec);
  t->done = std::move(done);
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = t->id = next_id_++;
    incoming_.push_back(std::move(t));
  }
  wake();
  return id;
}

void HttpService::cancel(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    cancelled_.push_back(id);
  }
  wake();
}

namespace {

CURL* make_easy(HttpRequestSpec& spec, curl_slist*& list, void* self) {
  CURL* e = curl_easy_init();
  if (!e) return nullptr;
  curl_easy_setopt(e, CURLOPT_URL, spec.url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // never the host's proxy: the rules see the real peer
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, spec.redirect ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 16L);
  // CC keeps the method on 301 and 302 and turns a 303 into a GET.
  curl_easy_setopt(e, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_301 | CURL_REDIR_POST_302));
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  if (spec.timeout > 0) curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(spec.timeout * 1000));
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(spec.max_download));
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &HttpService::Transfer::on_open);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, self);
  if (spec.check_only) {  // the check is made when a socket opens: never reuse one
    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  }
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &HttpService::Transfer::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, self);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &HttpService::Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, self);
  if (spec.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (spec.method != "GET" || spec.body) {
    if (spec.method != "POST" || !spec.body) curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, spec.method.c_str());
  }
  if (spec.body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(spec.body->size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, spec.body->data());
  }
  for (const HttpHeader& h : spec.headers) {
    std::string line = h.name + (h.value.empty() ? ";" : ": " + h.value);
    list = curl_slist_append(list, line.c_str());
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  return e;
}

std::string friendly_error(int code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST: return "Unknown host";
    case CURLE_OPERATION_TIMEDOUT: return "Timed out";
    case CURLE_FILESIZE_EXCEEDED: return "Response is too large";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE: return "Could not create a secure connection";
    case CURLE_TOO_MANY_REDIRECTS: return "Too many redirects";
    default: return "Could not connect";
  }
}

}  // namespace

void HttpService::finish(Transfer& t, int code) {
  HttpOutcome& out = t.out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t.started).count();
  out.sent = t.spec.body ? t.spec.body->size() : 0;
  char* url = nullptr;
  curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &url);
  out.final_url = url ? url : t.spec.url;
  if (t.spec.check_only) {
    out.ok = t.allowed && !t.denied;
    if (!out.ok) out.error = t.denied ? "Domain not permitted" : friendly_error(code);
  } else if (t.denied && code != CURLE_OK) {
    out.error = "Domain not permitted";
  } else if (t.too_large) {
    out.error = "Response is too large";
  } else if (code != CURLE_OK) {
    out.error = friendly_error(code);
  } else {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    out.has_response = true;
    out.code = static_cast<int>(status);
    // The reason phrase: what follows the code on the status line.
    std::string& line = t.status_line;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    std::size_t first = line.find(' ');
    std::size_t second = first == std::string::npos ? first : line.find(' ', first + 1);
    out.message = second == std::string::npos ? "" : line.substr(second + 1);
    if (out.message.empty()) out.message = standard_reason(out.code);
    curl_header* prev = nullptr;
    while (curl_header* h = curl_easy_nextheader(t.easy, CURLH_HEADER, -1, prev)) {
      out.headers.push_back({h->name, h->value});
      prev = h;
    }
    out.ok = out.code >= 200 && out.code < 400;
    if (!out.ok) out.error = out.message;
  }
  std::lock_guard lock(mutex_);
  if (std::find(cancelled_.begin(), cancelled_.end(), t.id) != cancelled_.end()) return;
  t.done(std::move(out));
}

void HttpService::loop() {
  CURLM* multi = static_cast<CURLM*>(multi_);
  for (;;) {
    std::vector<std::unique_ptr<Transfer>> fresh;
    std::vector<std::uint64_t> gone;
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
      fresh.swap(incoming_);
      gone = cancelled_;
    }
    for (auto& t : fresh) {
      if (std::find(gone.begin(), gone.end(), t->id) != gone.end()) continue;
      t->started = std::chrono::steady_clock::now();
      t->easy = make_easy(t->spec, t->header_list, t.get());
      if (!t->easy) {
        finish(*t, CURLE_OUT_OF_MEMORY);
        continue;
      }
      curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
      curl_multi_add_handle(multi, t->easy);
      running_.push_back(std::move(t));
    }
    // Cancelled transfers leave the multi handle (closing their connection).
    std::erase_if(running_, [&](const std::unique_ptr<Transfer>& t) {
      if (std::find(gone.begin(), gone.end(), t->id) == gone.end()) return false;
      curl_multi_remove_handle(multi, t->easy);
      return true;
    });
    int still = 0;
    curl_multi_perform(multi, &still);
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &t);
      CURLcode result = m->data.result;
      curl_multi_remove_handle(multi, m->easy_handle);
      finish(*t, result);
      std::erase_if(running_, [t](const std::unique_ptr<Transfer>& r) { return r.get() == t; });
    }
    {
      // Ids of cancelled transfers that are gone from both lists are
      // forgotten, so that the list stays short.
      std::lock_guard lock(mutex_);
      std::erase_if(cancelled_, [&](std::uint64_t id) {
        bool live = std::any_of(running_.begin(), running_.end(), [id](auto& t) { return t->id == id; }) ||
                    std::any_of(incoming_.begin(), incoming_.end(), [id](auto& t) { return t->id == id; });
        return !live && std::find(gone.begin(), gone.end(), id) != gone.end();
      });
    }
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
}

}  // namespace moonbox
