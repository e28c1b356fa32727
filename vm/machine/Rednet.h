// Rednet: what CC's rednet daemon (rednet.run) does for one computer, done
// by the computer itself because each of its processes is a separate state.
// A rednet packet that reaches one of its modems on its own channel or the
// broadcast channel, for it, and not seen in the last 9.5 s becomes a
// "rednet_message" event; a "dns" lookup for a protocol it hosts is
// answered from here, whichever process called rednet.host.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace moonbox {

class Computer;
class Modem;
struct ModemPacket;

class Rednet {
 public:
  static constexpr int kBroadcast = 65535;   // CHANNEL_BROADCAST
  static constexpr int kRepeat = 65533;      // CHANNEL_REPEAT
  static constexpr int kMaxIdChannels = 65500;
  static constexpr double kSeenFor = 9.5;    // seconds a message id is remembered

  explicit Rednet(Computer& c) : computer_(c) {}

  // The computer's own channel (id_as_channel()).
  int channel() const;
  // Remembers a message id (sent or received) for kSeenFor seconds.
  void seen(double id, double now);
  void receive(Modem& at, const ModemPacket& packet);

  // rednet.host / unhost: one host name per protocol. False (nothing kept)
  // when the computer already hosts kMaxHostedProtocols others: the table
  // lives on the host, so it is bounded.
  bool host(const std::string& protocol, const std::string& hostname);
  void unhost(const std::string& protocol) { hosts_.erase(protocol); }
  std::optional<std::string> hostname(std::string_view protocol) const;

 private:
  bool fresh(double id, double now);
  void answer_lookup(double to, const std::string& protocol, const std::string& hostname);

  Computer& computer_;
  // Message ids seen, and when each is forgotten. `seen_order_` holds them
  // in the order they were seen (so by expiry), which makes forgetting
  // O(1) a message; at most kMaxSeen are remembered (a flood forgets its
  // oldest ids early rather than growing the host without bound).
  static constexpr std::size_t kMaxSeen = 65536;
  std::map<double, double> seen_;
  std::deque<std::pair<double, double>> seen_order_;  // (forget at, id)
  void forget(double now);
  std::map<std::string, std::string, std::less<>> hosts_;
};

}  // namespace moonbox
