#include "vm/machine/Rednet.h"

#include "vm/kernel/Defaults.h"

#include <random>

#include "vm/machine/Computer.h"
#include "vm/machine/devices/Modem.h"

namespace moonbox {

int Rednet::channel() const { return computer_.id() % kMaxIdChannels; }

void Rednet::seen(double id, double now) {
  seen_[id] = now + kSeenFor;
  seen_order_.emplace_back(now + kSeenFor, id);
  forget(now);
}

// Drops the ids whose time is up, and the oldest beyond kMaxSeen. An id
// seen again has a later entry; only its last one removes it.
void Rednet::forget(double now) {
  while (!seen_order_.empty() && (seen_order_.front().first <= now || seen_order_.size() > kMaxSeen)) {
    auto [at, id] = seen_order_.front();
    seen_order_.pop_front();
    if (auto it = seen_.find(id); it != seen_.end() && it->second == at) seen_.erase(it);
  }
}

bool Rednet::fresh(double id, double now) {
  forget(now);
  return !seen_.contains(id);
}

bool Rednet::host(const std::string& protocol, const std::string& hostname) {
  auto it = hosts_.find(protocol);
  if (it != hosts_.end()) {
    it->second = hostname;
    return true;
  }
  if (hosts_.size() >= defaults::kMaxHostedProtocols) return false;
  hosts_.emplace(protocol, hostname);
  return true;
}

std::optional<std::string> Rednet::hostname(std::string_view protocol) const {
  auto it = hosts_.find(protocol);
  if (it == hosts_.end()) return std::nullopt;
  return it->second;
}

void Rednet::receive(Modem& at, const ModemPacket& packet) {
  if (!packet.rednet) return;
  const RednetHeader& h = *packet.rednet;
  if (packet.channel != channel() && packet.channel != kBroadcast) return;
  if (h.recipient && *h.recipient != computer_.id() && *h.recipient != kBroadcast) return;
  if (!at.is_open(channel()) || !at.is_open(kBroadcast)) return;  // rednet.isOpen(side)
  double now = computer_.kernel().now();
  if (!fresh(h.id, now)) return;
  seen(h.id, now);
  computer_.post_to_all("rednet_message", h.event);
  if (!h.lookup) return;
  std::optional<std::string> mine = hostname(h.lookup_protocol);
  if (mine && (!h.lookup_hostname || *h.lookup_hostname == *mine)) answer_lookup(h.sender, h.lookup_protocol, *mine);
}

// rednet.send(to, {sType = "lookup response", ...}, "dns") from this
// computer: on every modem rednet has open, to the asker and to repeaters.
void Rednet::answer_lookup(double to, const std::string& protocol, const std::string& hostname) {
  static std::mt19937 random_ids{std::random_device{}()};
  double id = static_cast<double>(std::uniform_int_distribution<int>(1, 2147483647)(random_ids));
  double now = computer_.kernel().now();
  seen(id, now);
  auto write_answer = [&](MessageWriter& w) {
    w.begin_table();
    w.key("sType").string("lookup response");
    w.key("sHostname").string(hostname);
    w.key("sProtocol").string(protocol);
    w.end_table();
  };
  ModemPacket packet;
  packet.reply_channel = channel();
  MessageWriter wrapper(packet.message);
  wrapper.begin_table();
  wrapper.key("nMessageID").number(id);
  wrapper.key("nRecipient").number(to);
  wrapper.key("nSender").integer(computer_.id());
  wrapper.key("message");
  write_answer(wrapper);
  wrapper.key("sProtocol").string("dns");
  wrapper.end_table();
  wrapper.finish();
  RednetHeader header;
  header.id = id;
  header.recipient = to;
  header.sender = computer_.id();
  MessageWriter event(header.event);
  event.integer(computer_.id());
  write_answer(event);
  event.string("dns");
  event.finish();
  packet.rednet = std::move(header);
  int target = to == kBroadcast ? kBroadcast : static_cast<int>(to) % kMaxIdChannels;
  for (Modem* m : computer_.modems()) {
    if (!m->is_open(channel()) || !m->is_open(kBroadcast)) continue;  // rednet.isOpen(side)
    for (int ch : {target, kRepeat}) {
      packet.channel = ch;
      m->transmit(packet);
    }
  }
}

}  // namespace moonbox
