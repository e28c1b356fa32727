// ServiceRegistry: names and owners.
#include <doctest/doctest.h>

#include "vm/kernel/ServiceRegistry.h"

using namespace moonbox;

TEST_CASE("claim, lookup, release") {
  ServiceRegistry reg;
  CHECK(reg.claim("echo", 2));
  CHECK(reg.claim("echo", 2));  // again by the owner: still true
  CHECK_FALSE(reg.claim("echo", 3));
  CHECK(reg.lookup("echo") == 2);
  CHECK_FALSE(reg.lookup("nobody").has_value());
  CHECK_FALSE(reg.release("echo", 3));  // not the owner
  CHECK(reg.release("echo", 2));
  CHECK_FALSE(reg.lookup("echo").has_value());
  CHECK(reg.claim("echo", 3));
}

TEST_CASE("a process may own many names; all go when it exits") {
  ServiceRegistry reg;
  reg.claim("a", 4);
  reg.claim("b", 4);
  reg.claim("c", 5);
  CHECK(reg.count_of(4) == 2);
  CHECK(reg.names_of(4) == std::vector<std::string>{"a", "b"});
  auto released = reg.release_all(4);
  CHECK(released == std::vector<std::string>{"a", "b"});
  CHECK(reg.count_of(4) == 0);
  CHECK(reg.lookup("c") == 5);
}
