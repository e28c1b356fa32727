// The rom's bios chunks: CC's APIs (rom/apis/) and moonbox's own Lua halves
// of its modules (rom/moonbox/bios/), compiled once per rom directory to
// bytecode that every computer's processes load by name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace moonbox {

class Console;

// The bytecode of chunk `name` (colors, keys, os, shell...) of the rom at
// `rom`, or null. The rom is compiled the first time any computer asks;
// a chunk that does not compile is reported on `errors` then.
const std::string* bios_chunk(const std::filesystem::path& rom, std::string_view name, Console& errors);

}  // namespace moonbox
