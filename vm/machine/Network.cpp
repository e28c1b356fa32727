#include "vm/machine/Network.h"

#include <algorithm>
#include <cmath>

#include "vm/machine/Computer.h"
#include "vm/machine/devices/Modem.h"

namespace moonbox {

void Network::join(Modem& m) { modems_.push_back(&m); }

void Network::leave(Modem& m) { std::erase(modems_, &m); }

void Network::transmit(const Modem& from, const ModemPacket& packet) {
  // A receiver may answer at once (a rednet host); copy the list so that an
  // answer sent while this one is delivered sees the same modems.
  std::vector<Modem*> modems = modems_;
  const std::optional<Position>& here = from.computer().position();
  for (Modem* to : modems) {
    if (to == &from || to->wireless() != from.wireless() || !to->is_open(packet.channel)) continue;
    double distance = 0;
    const std::optional<Position>& there = to->computer().position();
    if (here && there) {
      double dx = here->x - there->x, dy = here->y - there->y, dz = here->z - there->z;
      distance = std::sqrt(dx * dx + dy * dy + dz * dz);
      if (from.wireless() && wireless_range_ > 0 && distance > wireless_range_) continue;  // out of range
    }
    to->receive(packet, distance);
  }
}

}  // namespace moonbox
