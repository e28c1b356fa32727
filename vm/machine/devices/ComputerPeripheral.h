// ComputerPeripheral: another computer of the world, attached as
// "computer_<id>" (CraftOS-PC's periphemu.create(id, "computer")), with CC's
// computer methods: turnOn, shutdown, reboot, getID, isOn, getLabel.
#pragma once

#include "vm/machine/Peripheral.h"

namespace moonbox {

class ComputerPeripheral final : public Peripheral {
 public:
  explicit ComputerPeripheral(int target) : target_(target) {}
  std::string_view type() const override { return "computer"; }
  int target() const { return target_; }

 private:
  int target_;
};

}  // namespace moonbox
