#include "vm/machine/devices/Monitor.h"

#include <algorithm>
#include <cmath>

#include "vm/machine/Computer.h"

namespace moonbox {

namespace {

int size_at(int base, int halves) { return std::max(1, static_cast<int>(std::lround(base * 2.0 / halves))); }

}  // namespace

Terminal* Monitor::terminal() {
  return computer().kernel().is_device_terminal(terminal_id_) ? computer().virtual_terminal(terminal_id_) : nullptr;
}

void Monitor::attached() {
  terminal_id_ = computer().kernel().open_device_terminal(size_at(kBaseWidth, half_scale_), size_at(kBaseHeight, half_scale_));
}

void Monitor::detaching() { computer().kernel().close_device_terminal(terminal_id_); }

void Monitor::set_half_scale(int halves) {
  half_scale_ = halves;
  Terminal* t = terminal();
  if (!t) return;
  int w = size_at(kBaseWidth, halves), h = size_at(kBaseHeight, halves);
  if (w == t->width() && h == t->height()) return;
  t->resize(w, h);
  post_event("monitor_resize");
}

void Monitor::touch(int x, int y) { post_event("monitor_touch", {x, y}); }

namespace {
const bool kMonitorRegistered = register_peripheral_type("monitor", [](Computer&, std::string_view, std::string*) -> std::unique_ptr<Peripheral> {
  return std::make_unique<Monitor>();
});
}  // namespace

}  // namespace moonbox
