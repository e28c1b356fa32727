// Monitor: CC's monitor peripheral. Its screen is a terminal the kernel
// holds for the computer (a device terminal), so the `monitor` program can
// start a child on it; its methods are term's plus the text scale. A click
// on its window queues "monitor_touch".
#pragma once

#include "vm/machine/Peripheral.h"

namespace moonbox {

class Monitor final : public Peripheral {
 public:
  static constexpr int kBaseWidth = 51, kBaseHeight = 19;  // at text scale 1, as CraftOS-PC's

  std::string_view type() const override { return "monitor"; }
  Terminal* terminal() override;
  void attached() override;
  void detaching() override;

  int terminal_id() const { return terminal_id_; }
  // The scale in halves (1 = 0.5 ... 10 = 5).
  int half_scale() const { return half_scale_; }
  // Sets the scale and resizes the screen; "monitor_resize" if it changed.
  void set_half_scale(int halves);
  // A click on the monitor's window at cell (x, y), 1-based.
  void touch(int x, int y);
  // Closing a monitor's window hides it; a program asks for it to be shown
  // again (the `monitor` program does). The host shows the window when
  // this count has changed since it last looked.
  void request_show() { show_requests_++; }
  unsigned show_requests() const { return show_requests_; }

 private:
  int terminal_id_ = 0;
  int half_scale_ = 2;
  unsigned show_requests_ = 0;
};

}  // namespace moonbox
