// Vfs: normalisation and the walls of the virtual root.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/support/KernelHarness.h"
#include "vm/machine/Vfs.h"

using namespace moonbox;
namespace fs = std::filesystem;

TEST_CASE("normalize stays inside the root") {
  CHECK(Vfs::normalize("/a/b/../c") == "/a/c");
  CHECK(Vfs::normalize("../../..") == "/");
  CHECK(Vfs::normalize("x", "/home/user") == "/home/user/x");
  CHECK(Vfs::normalize("./x/./y/", "/") == "/x/y");
  CHECK(Vfs::normalize("/../../etc/passwd") == "/etc/passwd");
  CHECK(Vfs::normalize("a\\b") == "/a/b");
  CHECK(Vfs::normalize("") == "/");
}

TEST_CASE("host paths never leave the data directory or the rom") {
  test::Harness h;
  Vfs& vfs = h.computer->vfs();
  fs::path root = vfs.root();
  std::ofstream(root / "file.lua") << "return 1";
  CHECK(vfs.is_file("/file.lua"));
  CHECK(vfs.read_file("/../file.lua").value() == "return 1");
  // A symlink planted in the data directory that points outside.
  fs::create_directory_symlink("/etc", root / "escape");
  CHECK_FALSE(vfs.host_path("/escape/passwd").has_value());
  CHECK_FALSE(vfs.read_file("/escape/passwd").has_value());
  // NUL bytes are refused.
  CHECK_FALSE(vfs.host_path(std::string("/file.lua\0.txt", 14)).has_value());
  // /rom is the rom directory and is read-only.
  CHECK(vfs.is_read_only("/rom/startup.lua"));
  CHECK_FALSE(vfs.is_read_only("/romantic"));
  CHECK(vfs.is_file("/rom/startup.lua"));
  CHECK_FALSE(vfs.host_path("/rom/../../etc").value().string().starts_with("/etc"));
}

TEST_CASE("the disk quota fails writes with a clear error") {
  ComputerConfig config;
  config.disk_limit = 64 * 1024;
  test::Harness h(config, true);
  int pid = h.spawn(R"(
    local h = fs.open("/big.bin", "w")
    local ok, err = pcall(function()
      for i = 1, 100 do h.write(string.rep("x", 1024)) end
    end)
    h.close()
    print(ok, err)
    print("size", fs.getSize("/big.bin"), "free", fs.getFreeSpace("/"))
    fs.delete("/big.bin")
    print("after delete", fs.getFreeSpace("/"))
  )");
  REQUIRE(h.run_until([&] { return h.exited(pid); }));
  CHECK(h.console.printed("false\t"));
  CHECK(h.console.printed("Out of space"));
  CHECK(h.computer->vfs().used() == 0);
  CHECK(h.console.printed("after delete\t65536"));
}
