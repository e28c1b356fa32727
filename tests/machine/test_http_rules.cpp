// HttpRules: CC's ordered rules, matched by host name and by the address a
// request connects to.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <doctest/doctest.h>

#include "vm/machine/HttpRules.h"

using namespace moonbox;

namespace {

sockaddr_in v4(const char* text) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, text, &a.sin_addr);
  return a;
}

sockaddr_in6 v6(const char* text) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  inet_pton(AF_INET6, text, &a.sin6_addr);
  return a;
}

bool allows(const HttpRules& r, const char* host, const char* address) {
  if (std::string_view(address).find(':') != std::string_view::npos) {
    sockaddr_in6 a = v6(address);
    return r.allows(host, reinterpret_cast<sockaddr*>(&a));
  }
  sockaddr_in a = v4(address);
  return r.allows(host, reinterpret_cast<sockaddr*>(&a));
}

HttpRules::Rule rule(const char* pattern, HttpRules::Action action) {
  auto r = HttpRules::parse(pattern, action);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("the default rules deny private addresses, whatever the name, and allow the rest") {
  HttpRules r = HttpRules::defaults();
  for (const char* a : {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fd00::1", "fc00::2",
                        "::ffff:127.0.0.1", "::ffff:10.1.1.1"})
    CHECK_MESSAGE(!allows(r, "example.com", a), a);
  for (const char* a : {"93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1"})
    CHECK_MESSAGE(allows(r, "example.com", a), a);
  // before DNS, only an IP literal tells
  CHECK_FALSE(r.allows("127.0.0.1", nullptr));
  CHECK_FALSE(r.allows("[::1]", nullptr));
  CHECK(r.allows("localhost", nullptr));  // decided when it resolves
}

TEST_CASE("the first matching rule decides; none matching denies") {
  HttpRules r;
  r.add(rule("*.evil.com", HttpRules::Action::Deny));
  r.add(rule("10.0.0.0/8", HttpRules::Action::Allow));
  r.add(rule("EXAMPLE.com", HttpRules::Action::Allow));
  CHECK_FALSE(allows(r, "a.evil.com", "8.8.8.8"));
  CHECK(allows(r, "evil.com", "10.1.2.3"));        // "*.evil.com" needs a dot before
  CHECK(allows(r, "example.COM", "8.8.8.8"));      // names are case-insensitive
  CHECK_FALSE(allows(r, "other.org", "8.8.8.8"));  // nothing matched
  CHECK_FALSE(allows(r, "other.org", "11.0.0.1"));
}

TEST_CASE("rules put first win over the defaults") {
  HttpRules r = HttpRules::defaults();
  r.prepend({rule("localhost", HttpRules::Action::Deny), rule("127.0.0.1", HttpRules::Action::Allow)});
  CHECK(allows(r, "127.0.0.1", "127.0.0.1"));
  CHECK_FALSE(allows(r, "localhost", "127.0.0.1"));
  CHECK_FALSE(allows(r, "ten", "10.0.0.1"));
}

TEST_CASE("address ranges") {
  HttpRules r;
  r.add(rule("192.168.4.0/22", HttpRules::Action::Allow));
  r.add(rule("2001:db8::/32", HttpRules::Action::Allow));
  CHECK(allows(r, "h", "192.168.7.255"));
  CHECK_FALSE(allows(r, "h", "192.168.8.0"));
  CHECK(allows(r, "h", "2001:db8:1::5"));
  CHECK_FALSE(allows(r, "h", "2001:db9::5"));
}

TEST_CASE("malformed patterns are refused with a reason") {
  std::string why;
  CHECK_FALSE(HttpRules::parse("10.0.0.0/33", HttpRules::Action::Allow, &why));
  CHECK(why.find("10.0.0.0/33") != std::string::npos);
  CHECK_FALSE(HttpRules::parse("10.0.0.0/x", HttpRules::Action::Allow, &why));
  CHECK_FALSE(HttpRules::parse("a host", HttpRules::Action::Allow, &why));
  CHECK_FALSE(HttpRules::parse("", HttpRules::Action::Allow, &why));
  CHECK(HttpRules::parse("$private", HttpRules::Action::Deny));
}
