#include "vm/machine/devices/Modem.h"

#include <cmath>

#include "vm/machine/Computer.h"

namespace moonbox {

void Modem::attached() { computer().network().join(*this); }

void Modem::detaching() { computer().network().leave(*this); }

void Modem::transmit(ModemPacket packet) {
  packet.from_computer = computer().id();
  Kernel& k = computer().kernel();
  k.trace().record_message(TraceKind::ModemSent, k.now(), packet.from_pid, packet.channel, name(), packet.message);
  // The sender's computer has seen its own rednet message: a repeater's echo
  // must not come back to it as new (rednet.send marks it, as CC's does).
  if (packet.rednet) computer().rednet().seen(packet.rednet->id, k.now());
  computer().network().transmit(*this, packet);
}

void Modem::receive(const ModemPacket& packet, double distance) {
  Kernel& k = computer().kernel();
  // Over the bridge: the modem's name with the instance it came from ("left@3fa9c0de").
  std::string shown = packet.via.empty() ? std::string(name()) : std::string(name()) + "@" + packet.via;
  k.trace().record_message(TraceKind::ModemReceived, k.now(), packet.from_computer, packet.channel, shown, packet.message);
  std::string event;
  MessageWriter w(event);
  // CC gives the distance between the two modems: the computers' (a whole
  // number as an integer, as CC's Lua prints it).
  w.string(name()).integer(packet.channel).integer(packet.reply_channel).values_of(packet.message);
  if (distance == std::floor(distance) && distance < 9e15) w.integer(static_cast<std::int64_t>(distance));
  else w.number(distance);
  w.finish();
  computer().post_to_all("modem_message", event);
  computer().rednet().receive(*this, packet);
}

namespace {
// periphemu.create(side, "modem" [, "wireless" | "wired"])
std::unique_ptr<Peripheral> make_modem(Computer&, std::string_view argument, std::string* why) {
  if (argument.empty() || argument == "wireless") return std::make_unique<Modem>(true);
  if (argument == "wired") return std::make_unique<Modem>(false);
  *why = "a modem is \"wireless\" or \"wired\"";
  return nullptr;
}
const bool kModemRegistered = register_peripheral_type("modem", make_modem);
}  // namespace

}  // namespace moonbox
