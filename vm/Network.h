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
};

class Network {
 public:
  void join(Modem& m);
  void leave(Modem& m);
  void transmit(const Modem& from, const ModemPacket& packet);

 private:
  std::vector<Modem*> modems_;
};

}  // namespace moonbox
