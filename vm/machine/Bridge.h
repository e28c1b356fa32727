// Bridge: one world across machines. Every instance connected to the same
// MQTT broker and world name shares the modems' media: a modem message
// sent on any computer of any instance reaches the modems of every instance
// that have its channel open. The MQTT client (libmosquitto) runs on its
// own thread; arriving messages are checked and queued, and the world
// delivers them between slices like local ones (World::run_for). A broker
// that is down or goes away costs remote traffic only: local traffic goes
// on, remote messages are dropped (a trace fact each), and the client
// reconnects with backoff and claims its computers' ids again.
//
// Topics, under moonbox/WORLD/:
//   air, cable          modem packets of the wireless and the wired medium
//   instances/ID        retained: the computer ids instance ID holds (JSON
//                       list); its last will clears it
//
// A packet (version 1), little-endian:
//   "MBX" 0x01 | u8 medium (0 air, 1 cable) | u8 n, instance id (n bytes)
//   | i32 computer | i32 channel | i32 reply channel
//   | u8 has position [f64 x, y, z]
//   | u32 n, message (n bytes: one value in moonbox's value codec)
//   | u8 flags (1 rednet, 2 recipient, 4 lookup, 8 host name)
//   [rednet: f64 id | f64 recipient (flag 2) | f64 sender | u32 n, event
//            | lookup: u32 n, protocol | u32 n, host name (flag 8)]
// Values keep what a modem message can carry: integers and floats apart,
// string bytes, nested and shared tables. Whatever does not parse, or holds
// a value that would not decode, is dropped.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vm/machine/Network.h"

struct mosquitto;
struct mosquitto_message;

namespace moonbox {

struct BridgeConfig {
  std::string url;     // mqtt://[user:password@]host[:port]/WORLD, or mqtts://
  bool wired = false;  // bridge the wired medium too
};

// A packet that came over the bridge.
struct BridgedPacket {
  bool wireless = true;
  std::string instance;  // the sender's
  std::optional<Position> position;
  ModemPacket packet;
};

struct BridgeStats {
  bool connected = false;
  bool reconnecting = false;
  std::uint64_t sent = 0, received = 0, dropped = 0;
  std::string last_drop;  // why the last one was dropped
};

class Bridge {
 public:
  // wake: the world has packets to deliver (called on the MQTT thread).
  // The connection is made in the background; see stats().
  Bridge(BridgeConfig config, std::function<void()> wake);
  ~Bridge();
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // Reads mqtt://user:pw@host:port/world; false (and *why) when it cannot.
  static bool parse_url(const std::string& url, std::string& host, int& port, std::string& world, bool& tls,
                        std::string& user, std::string& password, std::string* why);

  const std::string& instance() const { return instance_; }
  // Waits (at most `seconds`) for the first connection and the other
  // instances' claims; false when the broker could not be reached in time
  // (the bridge keeps trying).
  bool wait_connected(double seconds);
  // Claims computer `id` for this instance; false, with the instance that
  // holds it in *holder, when another instance does.
  bool claim(int id, std::string* holder);
  void release(int id);

  // Sends a packet to the other instances (any thread). Dropped, and
  // counted, while disconnected.
  void publish(const ModemPacket& packet, bool wireless, const std::optional<Position>& where);
  // What arrived since the last call (the world's thread).
  std::vector<BridgedPacket> take();
  bool has_arrivals() const;
  // Why each packet since the last call was dropped (for the trace).
  std::vector<std::string> take_drops();
  BridgeStats stats() const;

  // Parses a packet; false (and *why) for anything malformed. Public for tests.
  static bool decode_packet(std::string_view bytes, BridgedPacket& out, std::string* why);
  static std::string encode_packet(const std::string& instance, const ModemPacket& packet, bool wireless,
                                   const std::optional<Position>& where);

  // libmosquitto's callbacks (plain functions, in Bridge.cpp).
  void on_connect(int rc);
  void on_disconnect(int rc);
  void on_message(const mosquitto_message* m);
  void on_published();

 private:
  void publish_claims(const std::set<int>& ids);  // mutex_ not held
  void drop(std::string why);

  BridgeConfig config_;
  std::function<void()> wake_;
  std::string instance_;
  std::string world_;
  std::string prefix_;  // moonbox/WORLD/
  ::mosquitto* mosq_ = nullptr;

  mutable std::mutex mutex_;
  std::vector<BridgedPacket> inbox_;
  std::vector<std::string> drops_;
  std::set<int> claimed_;                                 // ours
  std::map<std::string, std::set<int>> others_;           // instance -> ids
  BridgeStats stats_;
  bool ever_connected_ = false;
  std::uint64_t queued_ = 0, written_ = 0;  // packets handed to libmosquitto, and written by it
  std::condition_variable connected_cv_;
};

}  // namespace moonbox
