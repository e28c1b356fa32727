// Files dropped on a window: the file_transfer payload (emulator/FileDrop).
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <lua.hpp>

#include "emulator/FileDrop.h"
#include "vm/kernel/ValueCodec.h"

using namespace moonbox;

namespace {

std::string write_temp(const std::string& name, const std::string& contents) {
  auto dir = std::filesystem::temp_directory_path() / "moonbox_file_drop";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

}  // namespace

TEST_CASE("a drop's files travel as {files = {{name, contents}, ...}}, bytes unchanged") {
  std::string binary("a\0b\xff", 4);
  std::vector<std::string> paths = {write_temp("one.bin", binary), write_temp("two.txt", "two\n")};
  std::string error;
  std::string payload = file_transfer_payload(paths, 1 << 20, error);
  REQUIRE(!payload.empty());
  lua_State* L = luaL_newstate();
  std::vector<int> frames;
  frames.reserve(message_info(payload).max_depth);
  REQUIRE(decode(L, payload, frames) == 1);
  REQUIRE(lua_getfield(L, 1, "files") == LUA_TTABLE);
  CHECK(luaL_len(L, -1) == 2);
  lua_geti(L, -1, 1);
  lua_getfield(L, -1, "name");
  CHECK(std::string(lua_tostring(L, -1)) == "one.bin");
  lua_getfield(L, -2, "contents");
  std::size_t len = 0;
  const char* s = lua_tolstring(L, -1, &len);
  CHECK(std::string(s, len) == binary);
  lua_close(L);
}

TEST_CASE("a drop that cannot be sent whole is refused, with the reason") {
  std::string error;
  auto dir = std::filesystem::temp_directory_path();
  CHECK(file_transfer_payload({dir.string()}, 1 << 20, error).empty());
  CHECK(error.find("not a file") != std::string::npos);
  std::vector<std::string> big = {write_temp("big.bin", std::string(2000, 'x'))};
  CHECK(file_transfer_payload(big, 1000, error).empty());
  CHECK(error == "Too large to transfer");
  CHECK(file_transfer_payload({"/nonexistent/moonbox"}, 1000, error).empty());
}
