// Drive: CC's disk drive. A floppy is a host directory: floppy N is the
// world's disk/N/ (insertDisk(N), as CraftOS-PC's), or a directory of the
// computer's own file system (insertDisk("path")), which never leads
// outside its data directory. An inserted floppy is mounted at /disk,
// /disk2... and fires "disk"; ejecting it fires "disk_eject".
#pragma once

#include <filesystem>
#include <optional>

#include "vm/machine/Peripheral.h"

namespace moonbox {

class Drive final : public Peripheral {
 public:
  static constexpr std::uintmax_t kFloppyCapacity = 125000;  // CC's default floppy size

  std::string_view type() const override { return "drive"; }
  void attached() override;
  void detaching() override;

  bool present() const { return !mount_.empty(); }
  const std::string& mount_name() const { return mount_; }
  std::optional<int> disk_id() const { return disk_id_; }
  // Inserts floppy `id` (ejecting what was in), or a directory's host path.
  void insert(std::optional<int> id, const std::filesystem::path& host);
  // CraftOS-PC's insertDisk: the world's floppy `id` (false when the world
  // has no room for another floppy), or a directory of this computer's file
  // system, `vpath` (false when it is not one: the root, the rom, a floppy).
  bool insert_floppy(int id);
  bool insert_directory(std::string_view vpath);
  void eject(bool announce);
  std::optional<std::string> label() const;
  void set_label(std::optional<std::string> label);

 private:
  std::filesystem::path label_file() const;
  std::string mount_;                 // "" when empty
  std::optional<int> disk_id_;        // a numbered floppy's id
  std::optional<std::string> label_;  // a directory disk's label (in memory)
};

}  // namespace moonbox
