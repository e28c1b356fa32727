// Mailbox: bounded, ordered, filtered.
#include <doctest/doctest.h>

#include <vector>

#include "vm/kernel/Mailbox.h"

using namespace moonbox;

namespace {
bool push_remote(Mailbox& box, const std::string& name, int sender, const std::string& payload = "p") {
  return box.push(EventKind::Remote, name, sender, payload);
}
}  // namespace

TEST_CASE("push respects the capacity and counts bytes") {
  Mailbox box(3);
  CHECK(push_remote(box, "a", 1, "xx"));
  CHECK(push_remote(box, "b", 1, "yyy"));
  CHECK(box.push(EventKind::System, "timer", 0, "z"));
  CHECK(box.full());
  CHECK_FALSE(push_remote(box, "c", 1));
  CHECK(box.size() == 3);
  CHECK(box.bytes() == 6);
  box.drop(0);
  CHECK(box.bytes() == 4);
  CHECK(push_remote(box, "c", 1));
}

TEST_CASE("find honours sender and name filters and skips system events") {
  Mailbox box;
  box.push(EventKind::System, "a", 0, "");
  push_remote(box, "a", 5);
  push_remote(box, "b", 6);
  push_remote(box, "a", 6);
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
  for (int i = 0; i < 5; i++) push_remote(box, std::string(1, 'e') + std::to_string(i), 1, "payload" + std::to_string(i));
  CHECK(box.at(2).name() == "e2");
  CHECK(box.at(2).payload() == "payload2");
  box.drop(2);
  std::vector<std::string> rest;
  for (const Event& x : box) rest.emplace_back(x.name());
  CHECK(rest == std::vector<std::string>{"e0", "e1", "e3", "e4"});
  // A dropped event's buffer carries the next one, whole.
  push_remote(box, "a-longer-name-than-before", 2, "and its payload");
  CHECK(box.at(4).name() == "a-longer-name-than-before");
  CHECK(box.at(4).payload() == "and its payload");
  CHECK(box.bytes() == 4 * 8 + 15);
}

TEST_CASE("an event laid out by its sender is queued without a copy, and the sender gets a spare buffer") {
  Mailbox box(8);
  // No spare buffer yet: copied, and the sender keeps its buffer.
  std::string first = std::string("ping").append(100, 'p');  // on the heap, not in the string itself
  REQUIRE(box.push_buffer(EventKind::Remote, first, 4, 7, 1));
  CHECK(box.at(0).name() == "ping");
  CHECK(box.at(0).payload() == std::string(100, 'p'));
  CHECK(box.at(0).sender == 7);
  CHECK(box.bytes() == 100);
  CHECK(first.size() == 104);
  const char* dropped = box.at(0).data.data();
  box.drop(0);
  // Now the very buffer is queued, and the sender gets the dropped one.
  std::string next = std::string("pong").append(50, 'q');
  const char* bytes = next.data();
  REQUIRE(box.push_buffer(EventKind::Remote, next, 4, 7));
  CHECK(box.at(0).data.data() == bytes);
  CHECK(next.data() == dropped);
  CHECK(box.at(0).payload() == std::string(50, 'q'));
  // Over 1 KiB: copied, and the sender keeps its buffer.
  std::string large = std::string("n").append(2000, 'v');
  REQUIRE(box.push_buffer(EventKind::Remote, large, 1, 7));
  CHECK(large.size() == 2001);
  CHECK(box.at(1).payload().size() == 2000);
  CHECK(box.bytes() == 50 + 2000);
}
