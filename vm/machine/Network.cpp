#include "vm/machine/Network.h"

#include <algorithm>
#include <cmath>

#include "vm/machine/Bridge.h"
#include "vm/machine/Computer.h"
#include "vm/machine/devices/Modem.h"

namespace moonbox {

void Network::join(Modem& m) { modems_.push_back(&m); }

void Network::leave(Modem& m) { std::erase(modems_, &m); }

void Network::transmit(const Modem& from, const ModemPacket& packet) {
  const std::optional<Position>& here = from.computer().position();
  deliver(&from, from.wireless(), here, packet);
  if (bridge_) bridge_->publish(packet, from.wireless(), here);
}

void Network::receive_remote(const BridgedPacket& p) { deliver(nullptr, p.wireless, p.position, p.packet); }

void Network::deliver(const Modem* from, bool wireless, const std::optional<Position>& here,
                      const ModemPacket& packet) {
  // A receiver may answer at once (a rednet host); copy the list so that an
  // answer sent while this one is delivered sees the same modems.
  std::vector<Modem*> modems = modems_;
  for (Modem* to : modems) {
    if (to == from || to->wireless() != wireless || !to->is_open(packet.channel)) continue;
    double distance = 0;
    const std::optional<Position>& there = to->computer().position();
    if (here && there) {
      double dx = here->x - there->x, dy = here->y - there->y, dz = here->z - there->z;
      distance = std::sqrt(dx * dx + dy * dy + dz * dz);
      if (wireless && wireless_range_ > 0 && distance > wireless_range_) continue;  // out of range
    }
    to->receive(packet, distance);
  }
}

}  // namespace moonbox
