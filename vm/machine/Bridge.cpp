#include "vm/machine/Bridge.h"

#include <mosquitto.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>
#include <random>

#include <nlohmann/json.hpp>

#include "vm/kernel/Defaults.h"
#include "vm/kernel/ValueCodec.h"

namespace moonbox {

namespace {

constexpr char kMagic[4] = {'M', 'B', 'X', 1};
constexpr std::uint32_t kMaxDepth = 400000;  // as the decoder's
constexpr std::size_t kMaxField = defaults::kMessageLimit;

void init_mosquitto() {
  static const bool done = [] {
    mosquitto_lib_init();
    return true;
  }();
  (void)done;
}

std::string random_instance() {
  std::random_device rd;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
  return buf;
}

template <class T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

void put_bytes(std::string& out, std::string_view s) {
  put<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// A bounds-checked reader: any read past the end fails the whole parse.
struct In {
  std::string_view s;
  std::size_t at = 0;
  bool ok = true;
  template <class T>
  T get() {
    T v{};
    if (s.size() - at < sizeof(T)) {
      ok = false;
      return v;
    }
    std::memcpy(&v, s.data() + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
  std::string bytes(std::size_t n) {
    if (!ok || s.size() - at < n) {
      ok = false;
      return {};
    }
    std::string out(s.substr(at, n));
    at += n;
    return out;
  }
  std::string field() {
    auto n = get<std::uint32_t>();
    if (n > kMaxField) ok = false;
    return ok ? bytes(n) : std::string();
  }
};

void cb_connect(mosquitto*, void* self, int rc) { static_cast<Bridge*>(self)->on_connect(rc); }
void cb_disconnect(mosquitto*, void* self, int rc) { static_cast<Bridge*>(self)->on_disconnect(rc); }
void cb_message(mosquitto*, void* self, const mosquitto_message* m) { static_cast<Bridge*>(self)->on_message(m); }
void cb_publish(mosquitto*, void* self, int) { static_cast<Bridge*>(self)->on_published(); }

}  // namespace

bool Bridge::parse_url(const std::string& url, std::string& host, int& port, std::string& world, bool& tls,
                       std::string& user, std::string& password, std::string* why) {
  auto fail = [&](const char* text) {
    if (why) *why = std::string(text) + ": " + url;
    return false;
  };
  std::string rest;
  if (url.rfind("mqtt://", 0) == 0) {
    tls = false;
    rest = url.substr(7);
  } else if (url.rfind("mqtts://", 0) == 0) {
    tls = true;
    rest = url.substr(8);
  } else {
    return fail("a bridge is mqtt://HOST[:PORT]/WORLD or mqtts://...");
  }
  std::size_t slash = rest.find('/');
  if (slash == std::string::npos || slash + 1 >= rest.size()) return fail("the bridge's URL names no world");
  world = rest.substr(slash + 1);
  if (world.find_first_of("/#+") != std::string::npos) return fail("a world's name cannot hold / # or +");
  std::string authority = rest.substr(0, slash);
  std::size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    std::string cred = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::size_t colon = cred.find(':');
    user = cred.substr(0, colon);
    password = colon == std::string::npos ? "" : cred.substr(colon + 1);
  }
  port = tls ? 8883 : 1883;
  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:1883
    std::size_t close = authority.find(']');
    if (close == std::string::npos) return fail("the bridge's host is wrong");
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return fail("the bridge's host is wrong");
      port_text = authority.substr(close + 2);
    }
    authority = authority.substr(1, close - 1);
  } else if (std::size_t colon = authority.rfind(':'); colon != std::string::npos) {
    port_text = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  if (!port_text.empty()) {
    char* end = nullptr;
    long n = std::strtol(port_text.c_str(), &end, 10);
    port = *end ? -1 : static_cast<int>(n);
  }
  if (authority.empty() || port <= 0 || port > 65535) return fail("the bridge's host or port is wrong");
  host = authority;
  return true;
}

Bridge::Bridge(BridgeConfig config, std::function<void()> wake)
    : config_(std::move(config)), wake_(std::move(wake)), instance_(random_instance()) {
  init_mosquitto();
  std::string host, user, password;
  int port = 0;
  bool tls = false;
  if (!parse_url(config_.url, host, port, world_, tls, user, password, nullptr)) return;
  prefix_ = "moonbox/" + world_ + "/";
  mosq_ = mosquitto_new(("moonbox-" + instance_).c_str(), true, this);
  if (!mosq_) return;
  mosquitto_connect_callback_set(mosq_, cb_connect);
  mosquitto_disconnect_callback_set(mosq_, cb_disconnect);
  mosquitto_message_callback_set(mosq_, cb_message);
  mosquitto_publish_callback_set(mosq_, cb_publish);
  if (!user.empty()) mosquitto_username_pw_set(mosq_, user.c_str(), password.c_str());
  if (tls) mosquitto_tls_set(mosq_, nullptr, "/etc/ssl/certs", nullptr, nullptr, nullptr);
  // Gone without a word (a crash, a lost connection): the broker clears our claims.
  std::string will = prefix_ + "instances/" + instance_;
  mosquitto_will_set(mosq_, will.c_str(), 0, nullptr, 1, true);
  mosquitto_reconnect_delay_set(mosq_, 1, 30, true);  // backoff: 1, 2, 4 ... 30 s
  // Small packets at once: without it, Nagle's algorithm and delayed ACKs
  // hold a lone packet for tens of milliseconds.
  mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  {
    std::lock_guard lock(mutex_);
    stats_.reconnecting = true;
  }
  mosquitto_connect_async(mosq_, host.c_str(), port, 30);
  mosquitto_loop_start(mosq_);
}

Bridge::~Bridge() {
  if (!mosq_) return;
  bool connected;
  {
    std::lock_guard lock(mutex_);
    claimed_.clear();
    connected = stats_.connected;
  }
  if (connected) {
    publish_claims({});  // an empty claim: gone
    // What the computers sent just before the end (a program that sends and
    // exits) leaves before the connection closes: two seconds at most.
    std::unique_lock lock(mutex_);
    connected_cv_.wait_for(lock, std::chrono::seconds(2),
                           [this] { return written_ >= queued_ || !stats_.connected; });
  }
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
}

void Bridge::on_connect(int rc) {
  if (rc != 0) return;  // refused: the loop retries
  mosquitto_subscribe(mosq_, nullptr, (prefix_ + "air").c_str(), 0);
  if (config_.wired) mosquitto_subscribe(mosq_, nullptr, (prefix_ + "cable").c_str(), 0);
  mosquitto_subscribe(mosq_, nullptr, (prefix_ + "instances/+").c_str(), 1);
  std::set<int> ours;
  {
    std::lock_guard lock(mutex_);
    stats_.connected = true;
    stats_.reconnecting = false;
    ever_connected_ = true;
    ours = claimed_;
  }
  publish_claims(ours);  // claimed again after a reconnect
  connected_cv_.notify_all();
}

void Bridge::on_published() {
  std::lock_guard lock(mutex_);
  written_++;
  if (written_ >= queued_) connected_cv_.notify_all();
}

void Bridge::on_disconnect(int) {
  std::lock_guard lock(mutex_);
  stats_.connected = false;
  stats_.reconnecting = true;
  written_ = queued_;  // what was not written is lost with the connection
  connected_cv_.notify_all();
}

bool Bridge::wait_connected(double seconds) {
  std::unique_lock lock(mutex_);
  if (!mosq_) return false;
  bool ok = connected_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return stats_.connected; });
  if (!ok) return false;
  // The other instances' retained claims follow the subscription at once.
  lock.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return true;
}

void Bridge::publish_claims(const std::set<int>& ids) {
  std::string list = nlohmann::json(std::vector<int>(ids.begin(), ids.end())).dump();
  std::string topic = prefix_ + "instances/" + instance_;
  {
    std::lock_guard lock(mutex_);
    queued_++;
  }
  int rc = ids.empty() ? mosquitto_publish(mosq_, nullptr, topic.c_str(), 0, nullptr, 1, true)
                       : mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(list.size()), list.data(), 1, true);
  if (rc != MOSQ_ERR_SUCCESS) {
    std::lock_guard lock(mutex_);
    queued_--;
  }
}

bool Bridge::claim(int id, std::string* holder) {
  std::set<int> ours;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [instance, ids] : others_)
      if (ids.contains(id)) {
        if (holder) *holder = instance;
        return false;
      }
    claimed_.insert(id);
    if (!stats_.connected || !mosq_) return true;  // told when it connects
    ours = claimed_;
  }
  publish_claims(ours);
  return true;
}

void Bridge::release(int id) {
  std::set<int> ours;
  {
    std::lock_guard lock(mutex_);
    claimed_.erase(id);
    if (!stats_.connected || !mosq_) return;
    ours = claimed_;
  }
  publish_claims(ours);
}

std::string Bridge::encode_packet(const std::string& instance, const ModemPacket& p, bool wireless,
                                  const std::optional<Position>& where) {
  std::string out(kMagic, sizeof kMagic);
  out.push_back(wireless ? 0 : 1);
  out.push_back(static_cast<char>(instance.size()));
  out += instance;
  put<std::int32_t>(out, p.from_computer);
  put<std::int32_t>(out, p.channel);
  put<std::int32_t>(out, p.reply_channel);
  out.push_back(where ? 1 : 0);
  if (where) {
    put<double>(out, where->x);
    put<double>(out, where->y);
    put<double>(out, where->z);
  }
  put_bytes(out, p.message);
  std::uint8_t flags = 0;
  if (p.rednet) {
    flags |= 1;
    if (p.rednet->recipient) flags |= 2;
    if (p.rednet->lookup) flags |= 4;
    if (p.rednet->lookup_hostname) flags |= 8;
  }
  out.push_back(static_cast<char>(flags));
  if (p.rednet) {
    const RednetHeader& h = *p.rednet;
    put<double>(out, h.id);
    if (h.recipient) put<double>(out, *h.recipient);
    put<double>(out, h.sender);
    put_bytes(out, h.event);
    if (h.lookup) {
      put_bytes(out, h.lookup_protocol);
      if (h.lookup_hostname) put_bytes(out, *h.lookup_hostname);
    }
  }
  return out;
}

bool Bridge::decode_packet(std::string_view bytes, BridgedPacket& out, std::string* why) {
  auto fail = [&](const char* text) {
    if (why) *why = text;
    return false;
  };
  In in{bytes};
  if (bytes.size() < 6 || std::memcmp(bytes.data(), kMagic, 3) != 0) return fail("not a moonbox packet");
  if (bytes[3] != kMagic[3]) return fail("a packet of another version");
  in.at = 4;
  auto medium = in.get<std::uint8_t>();
  if (medium > 1) return fail("an unknown medium");
  out.wireless = medium == 0;
  out.instance = in.bytes(in.get<std::uint8_t>());
  ModemPacket& p = out.packet;
  p.via = out.instance;
  p.from_computer = in.get<std::int32_t>();
  p.channel = in.get<std::int32_t>();
  p.reply_channel = in.get<std::int32_t>();
  if (p.channel < 0 || p.channel > 65535 || p.reply_channel < 0 || p.reply_channel > 65535)
    return fail("a channel out of range");
  if (in.get<std::uint8_t>()) {
    Position pos;
    pos.x = in.get<double>();
    pos.y = in.get<double>();
    pos.z = in.get<double>();
    if (!std::isfinite(pos.x) || !std::isfinite(pos.y) || !std::isfinite(pos.z)) return fail("a position that is not finite");
    out.position = pos;
  }
  p.message = in.field();
  auto flags = in.get<std::uint8_t>();
  if (flags & 1) {
    RednetHeader h;
    h.id = in.get<double>();
    if (flags & 2) h.recipient = in.get<double>();
    h.sender = in.get<double>();
    h.event = in.field();
    if (flags & 4) {
      h.lookup = true;
      h.lookup_protocol = in.field();
      if (flags & 8) h.lookup_hostname = in.field();
    }
    if (h.id != h.id || h.sender != h.sender) return fail("a rednet id that is NaN");
    if (in.ok && !valid_message(h.event, kMaxDepth)) return fail("a rednet event that would not decode");
    p.rednet = std::move(h);
  }
  if (!in.ok) return fail("a truncated packet");
  if (in.at != bytes.size()) return fail("bytes after the packet");
  if (!valid_message(p.message, kMaxDepth) || message_info(p.message).count != 1)
    return fail("a message that would not decode");
  return true;
}

void Bridge::drop(std::string why) {
  stats_.dropped++;
  stats_.last_drop = why;
  if (drops_.size() < 1024) drops_.push_back(std::move(why));
}

void Bridge::publish(const ModemPacket& packet, bool wireless, const std::optional<Position>& where) {
  if (!mosq_ || (!wireless && !config_.wired)) return;
  std::string bytes = encode_packet(instance_, packet, wireless, where);
  std::string topic = prefix_ + (wireless ? "air" : "cable");
  {
    std::lock_guard lock(mutex_);
    if (!stats_.connected) {
      drop("the broker is not connected: a packet not sent");
      return;
    }
  }
  {
    std::lock_guard lock(mutex_);
    queued_++;
  }
  int rc = mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(bytes.size()), bytes.data(), 0, false);
  std::lock_guard lock(mutex_);
  if (rc == MOSQ_ERR_SUCCESS) {
    stats_.sent++;
  } else {
    queued_--;
    drop("the broker did not take a packet");
  }
}

void Bridge::on_message(const mosquitto_message* m) {
  std::string_view topic = m->topic ? m->topic : "";
  std::string_view payload(static_cast<const char*>(m->payload), m->payloadlen > 0 ? static_cast<std::size_t>(m->payloadlen) : 0);
  std::string claims = prefix_ + "instances/";
  if (topic.substr(0, claims.size()) == claims) {
    std::string instance(topic.substr(claims.size()));
    if (instance == instance_) return;
    std::lock_guard lock(mutex_);
    std::set<int> ids;
    if (!payload.empty()) {
      nlohmann::json doc = nlohmann::json::parse(payload, nullptr, false);
      if (doc.is_array())
        for (const auto& v : doc)
          if (v.is_number_integer()) ids.insert(v.get<int>());
    }
    if (ids.empty()) others_.erase(instance);
    else others_[instance] = std::move(ids);
    return;
  }
  BridgedPacket packet;
  std::string why;
  bool ok = decode_packet(payload, packet, &why);
  {
    std::lock_guard lock(mutex_);
    if (!ok) {
      drop("a malformed packet from the broker: " + why);
    } else if (packet.instance == instance_) {
      return;  // our own, back from the broker
    } else {
      stats_.received++;
      if (inbox_.size() >= defaults::kQueueCapacity) {
        drop("the world's bridge queue is full");
        return;
      }
      inbox_.push_back(std::move(packet));
    }
  }
  if (wake_) wake_();
}

std::vector<BridgedPacket> Bridge::take() {
  std::lock_guard lock(mutex_);
  std::vector<BridgedPacket> out;
  out.swap(inbox_);
  return out;
}

bool Bridge::has_arrivals() const {
  std::lock_guard lock(mutex_);
  return !inbox_.empty() || !drops_.empty();
}

std::vector<std::string> Bridge::take_drops() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.swap(drops_);
  return out;
}

BridgeStats Bridge::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace moonbox
