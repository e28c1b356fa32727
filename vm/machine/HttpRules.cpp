#include "vm/machine/HttpRules.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace moonbox {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

using Bytes = std::array<std::uint8_t, 16>;

// Glob match with '*' only, as CC's host patterns.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      p++;
      t++;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

Bytes mapped_v4(const std::uint8_t* v4) {
  Bytes b{};
  b[10] = b[11] = 0xFF;
  std::memcpy(b.data() + 12, v4, 4);
  return b;
}

bool is_mapped_v4(const Bytes& a) {
  for (int i = 0; i < 10; i++)
    if (a[static_cast<std::size_t>(i)] != 0) return false;
  return a[10] == 0xFF && a[11] == 0xFF;
}

std::optional<Bytes> from_sockaddr(const sockaddr* sa) {
  if (!sa) return std::nullopt;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    return mapped_v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    Bytes b{};
    std::memcpy(b.data(), &in6->sin6_addr, 16);
    return b;
  }
  return std::nullopt;
}

bool prefix_matches(const Bytes& net, int prefix, const Bytes& a) {
  for (int bit = 0; bit < prefix; bit++) {
    int byte = bit / 8, shift = 7 - bit % 8;
    if (((net[static_cast<std::size_t>(byte)] >> shift) & 1) != ((a[static_cast<std::size_t>(byte)] >> shift) & 1))
      return false;
  }
  return true;
}

}  // namespace

std::optional<Bytes> parse_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  std::string s(text);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return mapped_v4(buf);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    Bytes b{};
    std::memcpy(b.data(), buf, 16);
    return b;
  }
  return std::nullopt;
}

bool is_private_address(const Bytes& a) {
  if (is_mapped_v4(a)) {
    std::uint8_t x = a[12], y = a[13];
    return x == 0                                  // 0.0.0.0/8: this network, unspecified
           || x == 10                              // 10/8
           || x == 127                             // loopback
           || (x == 100 && (y & 0xC0) == 64)       // 100.64/10: carrier-grade NAT
           || (x == 169 && y == 254)               // link-local
           || (x == 172 && (y & 0xF0) == 16)       // 172.16/12
           || (x == 192 && y == 168);              // 192.168/16
  }
  Bytes zero{};
  Bytes loopback{};
  loopback[15] = 1;
  if (a == zero || a == loopback) return true;     // :: and ::1
  if ((a[0] & 0xFE) == 0xFC) return true;          // fc00::/7: unique local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return true;  // fe80::/10: link-local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) return true;  // fec0::/10: site-local
  return false;
}

HttpRules HttpRules::defaults() {
  HttpRules r;
  r.add(*parse("$private", Action::Deny));
  r.add(*parse("*", Action::Allow));
  return r;
}

std::optional<HttpRules::Rule> HttpRules::parse(std::string_view pattern, Action action, std::string* why) {
  auto fail = [&](const char* text) -> std::optional<Rule> {
    if (why) *why = std::string(text) + ": " + std::string(pattern);
    return std::nullopt;
  };
  Rule r;
  r.action = action;
  r.pattern = std::string(pattern);
  if (pattern.empty()) return fail("an empty host pattern");
  if (pattern == "$private") {
    r.kind = Rule::Kind::Private;
    return r;
  }
  std::size_t slash = pattern.find('/');
  std::string_view address = pattern.substr(0, slash);
  if (auto a = parse_address(address)) {
    r.kind = Rule::Kind::Address;
    r.net = *a;
    bool v4 = address.find(':') == std::string_view::npos;
    r.prefix = 128;
    if (slash != std::string_view::npos) {
      std::string_view bits = pattern.substr(slash + 1);
      int n = 0;
      if (bits.empty() || bits.size() > 3) return fail("a malformed address range");
      for (char c : bits) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return fail("a malformed address range");
        n = n * 10 + (c - '0');
      }
      if (n > (v4 ? 32 : 128)) return fail("an address range's prefix is too long");
      r.prefix = v4 ? 96 + n : n;
    }
    return r;
  }
  if (slash != std::string_view::npos) return fail("a malformed address range");
  for (char c : pattern) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '.' || c == '*' || c == '_')) return fail("a malformed host pattern");
  }
  r.kind = Rule::Kind::Host;
  r.host = ascii_lower(pattern);
  return r;
}

void HttpRules::prepend(std::vector<Rule> first) {
  first.insert(first.end(), std::make_move_iterator(rules_.begin()), std::make_move_iterator(rules_.end()));
  rules_ = std::move(first);
}

HttpRules::Action HttpRules::decide(std::string_view host, const sockaddr* address) const {
  std::string name = ascii_lower(host);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  std::optional<Bytes> a = from_sockaddr(address);
  if (!a) a = parse_address(name);
  for (const Rule& r : rules_) {
    bool match = false;
    switch (r.kind) {
      case Rule::Kind::Host: match = glob_match(r.host, name); break;
      case Rule::Kind::Address: match = a && prefix_matches(r.net, r.prefix, *a); break;
      case Rule::Kind::Private: match = a && is_private_address(*a); break;
    }
    if (match) return r.action;
  }
  return Action::Deny;
}

bool read_http_config(const std::string& path, HttpConfig& out, std::string* why) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  auto fail = [&](const std::string& text) {
    if (why) *why = path + ": " + text;
    return false;
  };
  if (doc.is_discarded() || !doc.is_object()) return fail("not a JSON object");
  auto http = doc.find("http");
  if (http == doc.end()) return true;
  if (!http->is_object()) return fail("\"http\" is not an object");
  try {
    if (http->contains("enabled")) out.enabled = http->at("enabled").get<bool>();
    if (http->contains("rules")) {
      HttpRules rules;
      for (const auto& r : http->at("rules")) {
        std::string action = r.value("action", "allow");
        if (action != "allow" && action != "deny") return fail("a rule's action is \"allow\" or \"deny\", not " + action);
        std::string bad;
        auto rule = HttpRules::parse(r.at("host").get<std::string>(),
                                     action == "allow" ? HttpRules::Action::Allow : HttpRules::Action::Deny, &bad);
        if (!rule) return fail(bad);
        rules.add(std::move(*rule));
      }
      out.rules = std::move(rules);
    }
    HttpLimits& l = out.limits;
    l.max_requests = http->value("max_requests", l.max_requests);
    l.max_websockets = http->value("max_websockets", l.max_websockets);
    l.max_download = http->value("max_download", l.max_download);
    l.max_upload = http->value("max_upload", l.max_upload);
    l.max_websocket_message = http->value("max_websocket_message", l.max_websocket_message);
    l.timeout = http->value("timeout", l.timeout);
    for (const char* service : {"pastebin", "gist"}) {
      std::string key = std::string(service) + "_url";
      if (http->contains(key)) out.services.emplace_back(std::string(service) + ".url", http->at(key).get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    return fail(e.what());
  }
  return true;
}

bool read_bridge_config(const std::string& path, std::string& url, bool& wired, std::string* why) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return true;  // read_http_config says why
  auto bridge = doc.find("bridge");
  if (bridge == doc.end()) return true;
  try {
    url = bridge->value("url", std::string());
    wired = bridge->value("wired", false);
  } catch (const nlohmann::json::exception& e) {
    if (why) *why = path + ": " + e.what();
    return false;
  }
  return true;
}

}  // namespace moonbox
