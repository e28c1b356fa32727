#include "vm/Network.h"

#include <algorithm>

#include "vm/devices/Modem.h"

namespace moonbox {

void Network::join(Modem& m) { modems_.push_back(&m); }

void Network::leave(Modem& m) { std::erase(modems_, &m); }

void Network::transmit(const Modem& from, const ModemPacket& packet) {
  // A receiver may answer at once (a rednet host); copy the list so that an
  // answer sent while this one is delivered sees the same modems.
  std::vector<Modem*> modems = modems_;
  for (Modem* to : modems)
    if (to != &from && to->wireless() == from.wireless() && to->is_open(packet.channel)) to->receive(packet);
}

}  // namespace moonbox
