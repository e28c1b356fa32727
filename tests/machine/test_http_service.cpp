// HttpService and HttpListener together, with no Lua: moonbox's own
// listener on loopback is the server the network thread talks to.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "vm/machine/HttpListener.h"
#include "vm/machine/HttpService.h"

using namespace moonbox;

namespace {

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// A listener answering every request from its own thread, as a program would.
struct Server {
  std::atomic<int> heard{0};
  std::unique_ptr<HttpListener> listener;
  std::mutex mutex;
  std::vector<std::thread> answering;
  int port = free_port();
  explicit Server(std::function<ListenerResponse(const ListenerRequest&)> answer) {
    std::string why;
    listener = HttpListener::open(port, 1 << 20, [this, answer](ListenerRequest&& r) {
      heard++;
      // respond() from another thread, as the world's thread does
      std::lock_guard lock(mutex);
      answering.emplace_back([this, r = std::move(r), answer] { listener->respond(r.id, answer(r)); });
    }, &why);
    REQUIRE_MESSAGE(listener, why);
  }
  ~Server() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex);
      threads.swap(answering);
    }
    for (std::thread& t : threads) t.join();
    listener.reset();
  }
};

HttpOutcome fetch(HttpService& service, HttpRequestSpec spec) {
  std::promise<HttpOutcome> done;
  auto got = done.get_future();
  service.start(std::move(spec), [&done](HttpOutcome&& o) { done.set_value(std::move(o)); });
  REQUIRE(got.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  return got.get();
}

std::shared_ptr<const HttpRules> allow_loopback() {
  HttpRules r = HttpRules::defaults();
  r.prepend({*HttpRules::parse("127.0.0.1", HttpRules::Action::Allow)});
  return std::make_shared<const HttpRules>(std::move(r));
}

}  // namespace

TEST_CASE("a request reaches the listener and its answer comes back, off the caller's thread") {
  Server server([](const ListenerRequest& r) {
    return ListenerResponse{r.url == "/teapot" ? 418 : 200, {{"X-Method", r.method}}, r.method + " " + r.url + " " + r.body};
  });
  HttpService service;
  HttpRequestSpec spec;
  spec.url = "http://127.0.0.1:" + std::to_string(server.port) + "/a?b=c";
  spec.method = "POST";
  spec.body = "data";
  spec.rules = allow_loopback();
  HttpOutcome out = fetch(service, spec);
  CHECK(out.ok);
  CHECK(out.code == 200);
  CHECK(out.body == "POST /a?b=c data");
  bool found = false;
  for (const HttpHeader& h : out.headers) found |= h.name == "X-Method" && h.value == "POST";
  CHECK(found);
  spec.url = "http://127.0.0.1:" + std::to_string(server.port) + "/teapot";
  out = fetch(service, spec);
  CHECK_FALSE(out.ok);
  CHECK(out.has_response);
  CHECK(out.code == 418);
}

TEST_CASE("the default rules refuse loopback before anything is sent") {
  Server server([](const ListenerRequest&) { return ListenerResponse{}; });
  HttpService service;
  HttpRequestSpec spec;
  spec.url = "http://localhost:" + std::to_string(server.port) + "/";
  spec.rules = std::make_shared<const HttpRules>(HttpRules::defaults());
  HttpOutcome out = fetch(service, spec);
  CHECK(out.error == "Domain not permitted");
  spec.check_only = true;
  CHECK(fetch(service, spec).error == "Domain not permitted");
  CHECK(server.heard == 0);
}

TEST_CASE("a body over the limit, a redirect, and a cancelled transfer") {
  Server server([](const ListenerRequest& r) {
    if (r.url == "/moved") return ListenerResponse{302, {{"Location", "/big"}}, ""};
    if (r.url == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return ListenerResponse{200, {}, std::string(5000, 'x')};
  });
  HttpService service;
  HttpRequestSpec spec;
  spec.url = "http://127.0.0.1:" + std::to_string(server.port) + "/moved";
  spec.rules = allow_loopback();
  HttpOutcome out = fetch(service, spec);
  CHECK(out.code == 200);
  CHECK(out.body.size() == 5000);
  spec.max_download = 4000;
  CHECK(fetch(service, spec).error == "Response is too large");
  // cancelled before it could finish: its callback never runs
  std::atomic<bool> called{false};
  HttpRequestSpec slow = spec;
  slow.url = "http://127.0.0.1:" + std::to_string(server.port) + "/slow";
  std::uint64_t id = service.start(slow, [&called](HttpOutcome&&) { called = true; });
  service.cancel(id);
  spec.max_download = 1 << 20;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // past when it would have ended
  fetch(service, spec);
  CHECK_FALSE(called);
}
