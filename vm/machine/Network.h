// Network: the modems of one emulator. A message goes to every other modem
// of the same medium (the air for wireless modems, the cable for wired ones)
// that has its channel open, on any computer, the sender's own included, as
// in CC. It never returns to the modem that sent it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace moonbox {

class Modem;
class Bridge;
struct BridgedPacket;

// What CC's rednet wraps a message in, read once when it is sent, so that
// every receiving computer can do what rednet's daemon does without
// decoding the message again.
struct RednetHeader {
  double id = 0;                   // nMessageID
  std::optional<double> recipient; // nRecipient
  double sender = 0;               // nSender, or the reply channel without one
  std::string event;               // encoded (sender, message, protocol): the rednet_message values
  // A "dns" lookup (rednet.lookup): the protocol and the host name asked for.
  bool lookup = false;
  std::string lookup_protocol;
  std::optional<std::string> lookup_hostname;
};

struct ModemPacket {
  int channel = 0;
  int reply_channel = 0;
  std::string message;  // one encoded value (ValueCodec), deep-copied into each receiver
  std::optional<RednetHeader> rednet;
  int from_computer = 0;
  int from_pid = 0;     // 0: the computer itself (a rednet host answering a lookup)
  std::string via;      // the moonbox instance it came from over the bridge; "" when local
};

// Where a computer is in the world, in blocks (CC's coordinates).
struct Position {
  double x = 0, y = 0, z = 0;
};

class Network {
 public:
  // CC's wireless modem range, in blocks (its modem_range default).
  static constexpr double kDefaultWirelessRange = 64;

  void join(Modem& m);
  void leave(Modem& m);
  // Delivers to each other modem of the medium with the channel open. When
  // both computers have a position, the message carries their distance,
  // and a wireless one goes no further than the range.
  void transmit(const Modem& from, const ModemPacket& packet);
  // A packet from another instance (the bridge): delivered as transmit
  // does, from the position it was sent at.
  void receive_remote(const BridgedPacket& p);
  // Packets sent here go to the other instances too (null: none).
  void set_bridge(Bridge* b) { bridge_ = b; }
  // 0: unlimited (as CC's ender modems).
  void set_wireless_range(double blocks) { wireless_range_ = blocks; }
  double wireless_range() const { return wireless_range_; }

 private:
  // Delivers to every modem but `from` (null: none) of the medium.
  void deliver(const Modem* from, bool wireless, const std::optional<Position>& here, const ModemPacket& packet);
  std::vector<Modem*> modems_;
  Bridge* bridge_ = nullptr;
  double wireless_range_ = kDefaultWirelessRange;
};

}  // namespace moonbox
