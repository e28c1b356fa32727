// Peripheral: a device attached to a computer under a name (a side such as
// "left", or "monitor_2"), as CC's peripheral API sees it. Each kind of
// device (vm/devices/) lists its methods as C functions; peripheral.call
// runs one with the device set as the calling process's current peripheral,
// so a method finds its device with Peripheral::called(L) and never keeps a
// pointer to it in the Lua state.
//
// Re-entry: a method's argument conversion can run Lua (__len, __tostring,
// __index), and that Lua may detach or replace the very device. So
// peripheral.call holds a strong reference to the device for the whole
// call (the object outlives its detaching), and called(L) raises "No
// peripheral attached" once the device has left its computer. A method
// converts its arguments first and calls called(L) after.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <lua.hpp>

namespace moonbox {

class Computer;
class Terminal;

class Peripheral {
 public:
  virtual ~Peripheral() = default;
  // CC's type name: "monitor", "modem", "drive", "printer", "speaker", "computer".
  virtual std::string_view type() const = 0;
  // The methods, ending with {nullptr, nullptr}. Their argument errors are
  // CC's ("bad argument #1 (number expected, got nil)").
  virtual const luaL_Reg* methods() const = 0;
  // A monitor's screen; null for every other device.
  virtual Terminal* terminal() { return nullptr; }
  // Timed work (a speaker's "speaker_audio_empty"), called as the computer runs.
  virtual void tick(double /*now*/) {}
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

  // The device whose method is running in L's process; raises if none, or
  // if it was detached since the method began.
  static Peripheral& called(lua_State* L);
  // The same, as a T (the method tables are per type, so the cast holds).
  template <class T>
  static T& called_as(lua_State* L) { return static_cast<T&>(called(L)); }

 private:
  friend class Computer;
  Computer* computer_ = nullptr;
  std::string name_;
  std::string argument_;
  bool attached_ = false;
};

// The types periphemu.create knows, in the order periphemu.names lists them.
const std::vector<std::string_view>& peripheral_types();

// A new device of `type` for computer c, or null when the type is unknown
// or the argument does not suit it (*why says which).
std::unique_ptr<Peripheral> make_peripheral(Computer& c, std::string_view type, std::string_view argument,
                                            std::string* why);

}  // namespace moonbox
