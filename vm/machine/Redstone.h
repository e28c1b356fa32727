// Redstone: a computer's six sides, as CC's redstone API sees them. With no
// world around the computer, the outputs are kept here and the inputs are
// what the host (the debugger) sets; an input change fires a "redstone"
// event in every process.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace moonbox {

class Redstone {
 public:
  static constexpr int kSides = 6;
  // CC's order: bottom, top, back, front, right, left.
  static const std::array<std::string_view, kSides> kNames;
  // The side named (case-insensitively), or -1.
  static int side(std::string_view name);

  int output(int side) const { return output_[side]; }
  void set_output(int side, int strength) { output_[side] = static_cast<std::uint8_t>(strength); }
  int input(int side) const { return input_[side]; }
  void set_input(int side, int strength) { input_[side] = static_cast<std::uint8_t>(strength); }
  int bundled_output(int side) const { return bundled_output_[side]; }
  void set_bundled_output(int side, int mask) { bundled_output_[side] = static_cast<std::uint16_t>(mask); }
  int bundled_input(int side) const { return bundled_input_[side]; }
  void set_bundled_input(int side, int mask) { bundled_input_[side] = static_cast<std::uint16_t>(mask); }

 private:
  std::array<std::uint8_t, kSides> output_{}, input_{};
  std::array<std::uint16_t, kSides> bundled_output_{}, bundled_input_{};
};

}  // namespace moonbox
