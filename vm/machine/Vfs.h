// Vfs: the computer's virtual file system.
//
// The root is a host directory; /rom is the installed rom/ directory, mounted
// read-only. Virtual paths are normalised inside the virtual root, so "..",
// absolute host paths and symlinks never reach outside it.
#pragma once

#include <filesystem>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/kernel/Defaults.h"
#include "vm/machine/DiskSpace.h"

namespace moonbox {

class Vfs {
 public:
  // The directory at the root of the data directory where the computer keeps
  // its own state (the label). Programs can neither see nor reach it.
  static constexpr std::string_view kStateDir = ".moonbox";

  Vfs(std::filesystem::path root, std::filesystem::path rom);

  // "/a/b" from a path that may be relative to cwd and may hold "." and
  // "..". ".." at the root stays at the root, as in Unix.
  static std::string normalize(std::string_view path, std::string_view cwd = "/");
  // The host path for a normalised virtual path, or nothing when it cannot
  // be reached (it would leave the root through a symlink, or holds a NUL).
  std::optional<std::filesystem::path> host_path(std::string_view vpath) const;
  bool is_read_only(std::string_view vpath) const;
  // True for the computer's state directory and what is inside it.
  static bool is_hidden(std::string_view vpath);
  bool exists(std::string_view vpath) const;
  bool is_file(std::string_view vpath) const;
  // The whole file, or nothing when it is missing or unreadable.
  std::optional<std::string> read_file(std::string_view vpath) const;

  // The disk quota of the data directory (ARCHITECTURE.md: 64 MiB).
  std::uintmax_t capacity() const { return root_space_->capacity(); }
  void set_capacity(std::uintmax_t bytes) { root_space_->set_capacity(bytes); }
  std::uintmax_t used() const { return root_space_->used(); }
  // Adjusts the bytes in use of the data directory.
  void account(std::intmax_t delta) { root_space_->add(delta); }
  // Re-measures the data directory.
  void recount();
  // The space a normalised path's writes count against: its floppy's, or
  // the data directory's (the rom's too: it is never written).
  std::shared_ptr<DiskSpace> space_of(std::string_view vpath) const;

  const std::filesystem::path& root() const { return root_; }
  // The data directory is made when something is first written in it (or
  // when the root itself is looked at), as CC makes a computer's folder
  // only then: until that, everything below the root simply does not
  // exist. (Making it at start-up was 300 us of a computer's boot here, a
  // sixth of turning on 1,000 computers.) Writers call this first.
  void ensure_root() const;
  const std::filesystem::path& rom() const { return rom_; }

  // ---- mounts: a floppy in a drive is a host directory at /disk, /disk2...
  // A mount hides whatever the data directory has at that path.
  struct Mount {
    std::string name;            // "disk": the top-level directory it appears as
    std::filesystem::path host;  // its root on the host
    std::string drive;           // what fs.getDrive says: the drive's side
    std::shared_ptr<DiskSpace> space;  // its capacity and what it holds
  };
  // Mounts host at the first free /disk, /disk2... and returns its name.
  // `space` is the floppy's (World::floppy_space: one per floppy, whichever
  // computers' drives hold it).
  std::string mount_disk(std::filesystem::path host, std::string drive, std::shared_ptr<DiskSpace> space);
  void unmount(std::string_view name);
  // The mount a normalised path lies in, or null.
  const Mount* mount_of(std::string_view vpath) const;
  const std::vector<Mount>& mounts() const { return mounts_; }
  // CC's rule (its FileMount's MINIMUM_FILE_SIZE): every file and directory
  // takes at least kMinEntrySize bytes of its disk, an empty one too, so a
  // disk holds a bounded number of them.
  static constexpr std::uintmax_t kMinEntrySize = 500;
  static std::uintmax_t entry_cost(std::uintmax_t size) { return size > kMinEntrySize ? size : kMinEntrySize; }
  // What the entries under a host directory take (not the directory itself).
  static std::uintmax_t tree_bytes(const std::filesystem::path& host);
  // What p takes, with everything under it; 0 when it does not exist.
  static std::uintmax_t cost_of(const std::filesystem::path& p);
  // How many of dir and its parents do not exist yet (what creating it
  // makes).
  static std::uintmax_t missing_dirs(const std::filesystem::path& dir);

 private:
  static std::optional<std::filesystem::path> inside(const std::filesystem::path& base, std::string_view rest);
  static std::optional<std::filesystem::path> resolved_inside(const std::filesystem::path& base,
                                                              const std::filesystem::path& p);

  std::filesystem::path root_;
  mutable bool root_made_ = false;
  std::filesystem::path rom_;
  std::vector<Mount> mounts_;
  std::shared_ptr<DiskSpace> root_space_ = std::make_shared<DiskSpace>(defaults::kDiskLimit);
};

}  // namespace moonbox
