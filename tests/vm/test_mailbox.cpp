// Mailbox: bounded, ordered, filtered.
#include <doctest/doctest.h>

#include <vector>

#include "vm/Mailbox.h"

using namespace moonbox;

namespace {
Event remote(std::string name, int sender, std::string payload = "p") {
  return Event{EventKind::Remote, std::move(name), sender, std::move(payload), 0};
}
}  // namespace

TEST_CASE("push respects the capacity and counts bytes") {
  Mailbox box(3);
  CHECK(box.push(remote("a", 1, "xx")));
  CHECK(box.push(remote("b", 1, "yyy")));
  CHECK(box.push(Event{EventKind::System, "timer", 0, "z", 0}));
  CHECK(box.full());
  CHECK_FALSE(box.push(remote("c", 1)));
  CHECK(box.size() == 3);
  CHECK(box.bytes() == 6);
  box.take(0);
  CHECK(box.bytes() == 4);
  CHECK(box.push(remote("c", 1)));
}

TEST_CASE("find honours sender and name filters and skips system events") {
  Mailbox box;
  box.push(Event{EventKind::System, "a", 0, "", 0});
  box.push(remote("a", 5));
  box.push(remote("b", 6));
  box.push(remote("a", 6));
  RemoteFilter any;
  CHECK(box.find(any) == 1);
  RemoteFilter by_sender{6, true, ""};
  CHECK(box.find(by_sender) == 2);
  RemoteFilter by_name{0, false, "a"};
  CHECK(box.find(by_name) == 1);
  RemoteFilter both{6, false, "a"};
  CHECK(box.find(both) == 3);
  RemoteFilter none{7, true, ""};
  CHECK(box.find(none) == -1);
}

TEST_CASE("taking from the middle keeps the rest in order") {
  Mailbox box;
  for (int i = 0; i < 5; i++) box.push(remote(std::string(1, 'e') + std::to_string(i), 1));
  Event e = box.take(2);
  CHECK(e.name == "e2");
  std::vector<std::string> rest;
  for (const Event& x : box) rest.push_back(x.name);
  CHECK(rest == std::vector<std::string>{"e0", "e1", "e3", "e4"});
}
