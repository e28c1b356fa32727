// Modem's Lua face: its methods, as CC's, over the model in vm/machine/devices/Modem.h.
#include "vm/machine/devices/Modem.h"

#include <cmath>

#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/DeviceFaces.h"

namespace moonbox {

struct ModemMethods {
  // CC's channel check: a number, whole part taken, 0..65535.
  static int check_channel(lua_State* L, int arg) {
    lua_Number n = check_number(L, arg);
    if (!(n >= 0 && n < 65536)) cc_error(L, "Channel out of range");
    return static_cast<int>(n);
  }

  static int open(lua_State* L) {
    int channel = check_channel(L, 1);
    Modem& m = called_device_as<Modem>(L);
    if (!m.open_.contains(channel) && m.open_.size() >= Modem::kMaxOpenChannels) cc_error(L, "Too many open channels");
    m.open_.insert(channel);
    return 0;
  }

  static int isOpen(lua_State* L) {
    int channel = check_channel(L, 1);
    lua_pushboolean(L, called_device_as<Modem>(L).is_open(channel));
    return 1;
  }

  static int close(lua_State* L) {
    int channel = check_channel(L, 1);
    called_device_as<Modem>(L).open_.erase(channel);
    return 0;
  }

  static int closeAll(lua_State* L) {
    called_device_as<Modem>(L).open_.clear();
    return 0;
  }

  static int isWireless(lua_State* L) {
    lua_pushboolean(L, called_device_as<Modem>(L).wireless_);
    return 1;
  }

  static int raw_field(lua_State* L, int table, const char* key) {
    if (lua_type(L, table) != LUA_TTABLE) {
      lua_pushnil(L);
      return LUA_TNIL;
    }
    lua_pushstring(L, key);
    return lua_rawget(L, table);
  }

  // Reads CC's rednet wrapper {nMessageID, nRecipient, nSender, message,
  // sProtocol} from the message at stack index 3. Pushes the values of the
  // rednet_message event a receiver queues (sender, message, protocol) at
  // 4..6, then nMessageID, nRecipient and a dns lookup's sType, sProtocol
  // and sHostname at 7..11. Returns false, pushing nothing, when it is not
  // a rednet packet. Raw reads: no metamethod runs.
  static bool push_rednet_view(lua_State* L, int reply_channel) {
    if (lua_type(L, 3) != LUA_TTABLE) return false;
    bool ok = raw_field(L, 3, "nMessageID") == LUA_TNUMBER && !std::isnan(lua_tonumber(L, -1));
    lua_pop(L, 1);
    if (!ok) return false;
    if (raw_field(L, 3, "nSender") != LUA_TNUMBER) {
      lua_pop(L, 1);
      lua_pushinteger(L, reply_channel);
    }
    raw_field(L, 3, "message");
    raw_field(L, 3, "sProtocol");
    raw_field(L, 3, "nMessageID");
    raw_field(L, 3, "nRecipient");
    raw_field(L, 5, "sType");
    raw_field(L, 5, "sProtocol");
    raw_field(L, 5, "sHostname");
    return true;
  }

  static bool is_string(lua_State* L, int i, std::string_view s) {
    return lua_type(L, i) == LUA_TSTRING && s == lua_tostring(L, i);
  }

  // The header and a dns lookup's question, from the values pushed above.
  static void read_rednet_header(lua_State* L, RednetHeader& h) {
    h.id = lua_tonumber(L, 7);
    h.sender = lua_tonumber(L, 4);
    if (lua_type(L, 8) == LUA_TNUMBER) h.recipient = lua_tonumber(L, 8);
    if (!is_string(L, 6, "dns") || !is_string(L, 9, "lookup") || lua_type(L, 10) != LUA_TSTRING) return;
    h.lookup = true;
    h.lookup_protocol = lua_tostring(L, 10);
    if (lua_type(L, 11) == LUA_TSTRING) h.lookup_hostname = lua_tostring(L, 11);
  }

  // Sends the message the kernel's encoder holds; plain C++ after the reads.
  static void send(lua_State* L, Modem& m, int channel, int reply, bool rednet, std::string_view message) {
    Process& self = current_process(L);
    ModemPacket packet;
    packet.channel = channel;
    packet.reply_channel = reply;
    packet.from_pid = self.pid();
    packet.message.assign(message);
    if (rednet) {
      RednetHeader h;
      read_rednet_header(L, h);
      Encoder encoder(self.kernel().config().message_limit);
      if (encoder.encode(L, 4, 3, h.event) == EncodeStatus::Ok) packet.rednet = std::move(h);
    }
    m.transmit(std::move(packet));
  }

  // The message is encoded once, by the encoder whose answer is raised: a
  // second encoding to find the reason could answer otherwise (a stack
  // that grew meanwhile), and did (wrong argument numbers, or success).
  static int transmit(lua_State* L) {
    int channel = check_channel(L, 1);
    int reply = check_channel(L, 2);
    lua_settop(L, 3);
    luaL_checkstack(L, 12, nullptr);
    bool rednet = push_rednet_view(L, reply);
    std::string_view message = encode_values(L, 3, 1, 3, "message");  // raises the reason
    send(L, called_device_as<Modem>(L), channel, reply, rednet, message);
    return 0;
  }

  // A wired modem's cable reaches no other peripherals in moonbox.
  static int getNamesRemote(lua_State* L) {
    lua_newtable(L);
    return 1;
  }
  static int isPresentRemote(lua_State* L) {
    check_string(L, 1);
    lua_pushboolean(L, 0);
    return 1;
  }
  static int nothingRemote(lua_State* L) {
    check_string(L, 1);
    return 0;
  }
  static int hasTypeRemote(lua_State* L) {
    check_string(L, 1);
    check_string(L, 2);
    return 0;
  }
  static int callRemote(lua_State* L) {
    check_string(L, 1);
    check_string(L, 2);
    return cc_error(L, "No peripheral attached"), 0;
  }
  static int getNameLocal(lua_State*) { return 0; }
};

namespace {
const luaL_Reg kWirelessMethods[] = {
    {"open", ModemMethods::open},         {"isOpen", ModemMethods::isOpen},
    {"close", ModemMethods::close},       {"closeAll", ModemMethods::closeAll},
    {"transmit", ModemMethods::transmit}, {"isWireless", ModemMethods::isWireless},
    {nullptr, nullptr},
};
const luaL_Reg kWiredMethods[] = {
    {"open", ModemMethods::open},
    {"isOpen", ModemMethods::isOpen},
    {"close", ModemMethods::close},
    {"closeAll", ModemMethods::closeAll},
    {"transmit", ModemMethods::transmit},
    {"isWireless", ModemMethods::isWireless},
    {"getNamesRemote", ModemMethods::getNamesRemote},
    {"isPresentRemote", ModemMethods::isPresentRemote},
    {"getTypeRemote", ModemMethods::nothingRemote},
    {"hasTypeRemote", ModemMethods::hasTypeRemote},
    {"getMethodsRemote", ModemMethods::nothingRemote},
    {"callRemote", ModemMethods::callRemote},
    {"getNameLocal", ModemMethods::getNameLocal},
    {nullptr, nullptr},
};
}  // namespace

const bool kModemFaceRegistered = register_device_face("modem", [](const Peripheral& p) {
  return static_cast<const Modem&>(p).wireless() ? kWirelessMethods : kWiredMethods;
});

}  // namespace moonbox
