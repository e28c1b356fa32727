// HttpRules: which hosts a computer's http API may reach, and its limits,
// as CC:Tweaked's http.rules: an ordered list of (pattern, action), the
// first rule that matches a request decides, and a request no rule matches
// is denied. A pattern is
//   "*"             every host
//   "example.com"   that host name (case-insensitive); "*" in it matches any
//                   run of characters, so "*.example.com" is every subdomain
//   "10.0.0.1"      that address (IPv4 or IPv6), whatever name led to it
//   "10.0.0.0/8"    an address range (CIDR)
//   "$private"      every private, loopback, link-local, unspecified and
//                   carrier-grade NAT address (and their IPv6 forms)
// The defaults are CC's: deny $private, allow *. Address patterns are
// checked against the address a request actually connects to, after DNS, so
// a public name that resolves to a private address is denied too.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace moonbox {

// s in ASCII lower case (host names, URL schemes, header names).
std::string ascii_lower(std::string_view s);

// CC:Tweaked's defaults.
struct HttpLimits {
  std::size_t max_download = 16 * 1024 * 1024;  // a response's body
  std::size_t max_upload = 4 * 1024 * 1024;     // a request's body and headers
  std::size_t max_websocket_message = 128 * 1024;
  double timeout = 30;                          // seconds, when a request gives none
  int max_requests = 16;                        // at once, per computer
  int max_websockets = 4;                       // open at once, per computer
};

class HttpRules {
 public:
  enum class Action { Allow, Deny };

  struct Rule {
    enum class Kind { Host, Address, Private } kind = Kind::Host;
    std::string host;                 // Host: lower-case glob
    std::array<std::uint8_t, 16> net{};  // Address: IPv6 (IPv4 as ::ffff:a.b.c.d)
    int prefix = 128;                 // Address: bits that must match
    Action action = Action::Allow;
    std::string pattern;              // as written, for messages
  };

  // CC's defaults: deny $private, then allow *.
  static HttpRules defaults();
  // A rule from its pattern; none (and *why) when the pattern is malformed.
  static std::optional<Rule> parse(std::string_view pattern, Action action, std::string* why = nullptr);

  void add(Rule r) { rules_.push_back(std::move(r)); }
  // Puts rules before the others (the command line's, before the file's).
  void prepend(std::vector<Rule> first);
  const std::vector<Rule>& rules() const { return rules_; }
  void clear() { rules_.clear(); }

  // The first rule matching host name `host` connecting to `address` (null:
  // not known yet, so that only name rules can match) decides; no match
  // denies. With no address, a host that is an IP literal stands for its
  // address.
  Action decide(std::string_view host, const sockaddr* address) const;
  bool allows(std::string_view host, const sockaddr* address) const { return decide(host, address) == Action::Allow; }

 private:
  std::vector<Rule> rules_;
};

// Is `a` (a 16-byte IPv6 form, IPv4 mapped) private as "$private" means it?
bool is_private_address(const std::array<std::uint8_t, 16>& a);
// An IP literal ("127.0.0.1", "::1", "[::1]") as 16 bytes, IPv4 mapped.
std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text);

// Everything a computer's http API runs by: whether it is on, the rules,
// the limits, and the addresses of the services rom programs use
// (pastebin.url, gist.url), which the configuration file may change.
struct HttpConfig {
  bool enabled = true;
  HttpRules rules = HttpRules::defaults();
  HttpLimits limits;
  std::vector<std::pair<std::string, std::string>> services;  // setting name, value
};

// Reads the "http" part of moonbox's configuration file (JSON) into `out`:
//   {"http": {"enabled": true,
//             "rules": [{"host": "$private", "action": "deny"}, ...],
//             "max_requests": 16, "max_websockets": 4, "max_download": N,
//             "max_upload": N, "max_websocket_message": N, "timeout": 30,
//             "pastebin_url": "https://pastebin.com", "gist_url": "https://api.github.com"}}
// "rules", when given, replaces the defaults, as CC's http.rules does. A
// missing file changes nothing; false (and *why) for one that cannot be read.
bool read_http_config(const std::string& path, HttpConfig& out, std::string* why);
// The same file's bridge: {"bridge": {"url": "mqtt://HOST/WORLD", "wired": false}}.
bool read_bridge_config(const std::string& path, std::string& url, bool& wired, std::string* why);

}  // namespace moonbox
