// Peripheral: a device attached to a computer under a name (a side such as
// "left", or "monitor_2"), as CC's peripheral API sees it: the model of a
// device (its state, its rules and the events it raises). Each kind of
// device (vm/machine/devices/) registers itself here, with a factory, under its CC
// type; its Lua face (its methods) is the Lua layer's (vm/lua/devices/,
// vm/lua/DeviceFaces.h).
#pragma once

#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>


namespace moonbox {

class Computer;
class Terminal;

class Peripheral {
 public:
  virtual ~Peripheral() = default;
  // CC's type name: "monitor", "modem", "drive", "printer", "speaker", "computer".
  virtual std::string_view type() const = 0;
  // A monitor's screen; null for every other device.
  virtual Terminal* terminal() { return nullptr; }
  // Timed work (a speaker's "speaker_audio_empty"), called as the computer runs.
  virtual void tick(double /*now*/) {}
  // When tick will next have work (kernel time); infinity for never. The
  // world sleeps until the earliest of these and its timers.
  virtual double next_tick() const { return std::numeric_limits<double>::infinity(); }
  // After attach (the device knows its computer and name) and before detach.
  virtual void attached() {}
  virtual void detaching() {}

  Computer& computer() const { return *computer_; }
  // False once detached (or before attach): the object may still be held
  // by a method that was running when its device was removed.
  bool is_attached() const { return attached_; }
  const std::string& name() const { return name_; }
  // What periphemu.create was given besides side and type ("" for none),
  // kept in the computer's configuration so the device comes back at boot.
  const std::string& argument() const { return argument_; }

  // Queues `event` (this device's name, then the integers) for every
  // process of its computer: "disk", "monitor_touch", "speaker_audio_empty"...
  void post_event(const char* event, std::initializer_list<int> values = {});


 private:
  friend class Computer;
  Computer* computer_ = nullptr;
  std::string name_;
  std::string argument_;
  bool attached_ = false;
};

// The registry of device types: each device adds its type and factory when
// the program starts (a registrar in its own file); the registry names none.
// A factory makes a device for computer c from periphemu.create's argument,
// or returns null with *why set when the argument does not suit it.
using PeripheralFactory = std::unique_ptr<Peripheral> (*)(Computer& c, std::string_view argument, std::string* why);
bool register_peripheral_type(std::string_view type, PeripheralFactory make);

// The types registered, sorted (the order periphemu.names lists them).
std::vector<std::string_view> peripheral_types();

// A new device of `type` for computer c, or null when the type is unknown
// or the argument does not suit it (*why says which).
std::unique_ptr<Peripheral> make_peripheral(Computer& c, std::string_view type, std::string_view argument,
                                            std::string* why);

}  // namespace moonbox
