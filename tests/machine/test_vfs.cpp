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

TEST_CASE("links inside the data directory resolve, at any depth; links out do not") {
  test::Harness h(false);
  Vfs& vfs = h.computer->vfs();
  fs::path root = vfs.root();
  fs::create_directories(root / "a" / "b");
  std::ofstream(root / "a" / "b" / "f.lua") << "x";
  fs::create_directory_symlink(root / "a", root / "to_a");          // in, absolute
  fs::create_directory_symlink("b", root / "a" / "to_b");           // in, relative, one level down
  fs::create_directory_symlink("../../..", root / "a" / "b" / "up");  // out, deep
  CHECK(vfs.host_path("/to_a/b/f.lua").value() == root / "a" / "b" / "f.lua");
  CHECK(vfs.read_file("/a/to_b/f.lua").value() == "x");
  CHECK(vfs.host_path("/a/to_b/missing/x").value() == root / "a" / "b" / "missing" / "x");
  CHECK_FALSE(vfs.host_path("/a/b/up").has_value());
  CHECK_FALSE(vfs.host_path("/a/b/up/etc").has_value());
  // What does not exist is joined as it is.
  CHECK(vfs.host_path("/no/such/file").value() == root / "no" / "such" / "file");
  CHECK(vfs.host_path("/a/b/f.lua/x").value() == root / "a" / "b" / "f.lua" / "x");
}

TEST_CASE("a computer's data directory is made by its first write, as CC makes a computer's folder") {
  test::Harness h(false);
  fs::path data = h.dir / "fresh";
  Vfs vfs(data, MOONBOX_SOURCE_ROM);
  CHECK_FALSE(vfs.exists("/startup.lua"));
  CHECK(vfs.is_file("/rom/startup.lua"));
  CHECK_FALSE(fs::exists(data));  // reading made nothing
  CHECK(vfs.exists("/"));         // the root itself always exists
  CHECK(fs::is_directory(data));

  // Through the fs API: reading makes nothing; the folder appears with the
  // first file, which alone takes space (the folder itself takes none).
  fs::remove_all(h.dir / "data");
  h.reboot();
  CHECK_FALSE(fs::exists(h.dir / "data"));
  int pid = h.spawn(R"(
    print("before", fs.exists("/a.txt"), fs.isDir("/disk"), #fs.find("/*.lua"))
    local free = fs.getFreeSpace("/")
    local f = fs.open("/a.txt", "w")
    f.close()
    print("took", free - fs.getFreeSpace("/"))
  )");
  REQUIRE(h.run_until([&] { return h.exited(pid); }));
  CHECK(h.console.printed("before\tfalse\tfalse\t0"));
  CHECK(h.console.printed("took\t" + std::to_string(Vfs::kMinEntrySize)));
  CHECK(fs::is_regular_file(h.dir / "data" / "a.txt"));
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
