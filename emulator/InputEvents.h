// The payloads of CC's input events (key, char, mouse_click, paste...), as
// the window and the text terminal post them to the kernel.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "vm/kernel/ValueCodec.h"

namespace moonbox {

inline std::string encode(std::initializer_list<std::int64_t> ints) {
  std::string payload;
  MessageWriter w(payload);
  for (auto v : ints) w.integer(v);
  w.finish();
  return payload;
}

// key: the code and whether the key is held (a repeat).
inline std::string encode_key(int code, bool held) {
  std::string payload;
  MessageWriter(payload).integer(code).boolean(held).finish();
  return payload;
}

inline std::string encode_string(std::string_view s) {
  std::string payload;
  MessageWriter(payload).string(s).finish();
  return payload;
}

}  // namespace moonbox
