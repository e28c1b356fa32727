// Modem: CC's modem peripheral, wireless or wired. It opens up to 128
// channels and sends messages (deep copies) to the other modems of the
// emulator's Network; each received message is a "modem_message" event on
// its computer, followed by "rednet_message" when it is a rednet packet for
// that computer, as CC's rednet daemon would queue it.
#pragma once

#include <set>

#include "vm/machine/Network.h"
#include "vm/machine/Peripheral.h"

namespace moonbox {

class Modem final : public Peripheral {
 public:
  static constexpr std::size_t kMaxOpenChannels = 128;  // CC's limit
  explicit Modem(bool wireless) : wireless_(wireless) {}

  std::string_view type() const override { return "modem"; }
  void attached() override;
  void detaching() override;

  bool wireless() const { return wireless_; }
  bool is_open(int channel) const { return open_.contains(channel); }
  // Sends from this modem (as process from_pid of its computer).
  void transmit(ModemPacket packet);
  // A message from another modem, on an open channel.
  // distance: between the two computers, in blocks (0 when either has no position)
  void receive(const ModemPacket& packet, double distance = 0);

 private:
  friend struct ModemMethods;
  bool wireless_;
  std::set<int> open_;
};

}  // namespace moonbox
