#include "vm/machine/devices/Drive.h"

#include <charconv>
#include <cstring>
#include <fstream>

#include "vm/machine/Computer.h"
#include "vm/machine/World.h"

namespace moonbox {

namespace fs = std::filesystem;

namespace {

fs::path floppy_dir(Computer& c, int id) { return c.shared_dir() / "disk" / std::to_string(id); }

// A numbered floppy exists, or the world has room for another.
bool floppy_allowed(Computer& c, int id) { return !c.world() || c.world()->floppy_allowed(id); }

}  // namespace

void Drive::attached() {
  // periphemu.create(side, "drive", N) starts with floppy N inside;
  // periphemu.create(side, "drive", "path") with that directory of the
  // computer's own file system (as insertDisk("path")).
  int id = 0;
  const std::string& arg = argument();
  if (arg.empty()) return;
  auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
  if (ec == std::errc() && end == arg.data() + arg.size() && id >= 0) insert_floppy(id);
  else insert_directory(Vfs::normalize(arg));
}

void Drive::detaching() { eject(false); }

void Drive::insert(std::optional<int> id, const fs::path& host) {
  if (present()) eject(true);
  std::error_code ec;
  fs::create_directories(host, ec);
  fs::path where = fs::weakly_canonical(host, ec);
  World* w = computer().world();
  std::shared_ptr<DiskSpace> space = w ? w->floppy_space(where, kFloppyCapacity)
                                       : std::make_shared<DiskSpace>(kFloppyCapacity, Vfs::tree_bytes(where));
  mount_ = computer().vfs().mount_disk(where, name(), std::move(space));
  disk_id_ = id;
  label_.reset();
  post_event("disk");
}

bool Drive::insert_floppy(int id) {
  if (!floppy_allowed(computer(), id)) return false;
  insert(id, floppy_dir(computer(), id));
  return true;
}

bool Drive::insert_directory(std::string_view vpath) {
  Vfs& vfs = computer().vfs();
  if (vpath == "/" || vfs.is_read_only(vpath) || vfs.mount_of(vpath)) return false;
  std::optional<fs::path> host = vfs.host_path(vpath);
  std::error_code ec;
  if (!host || !fs::is_directory(*host, ec)) return false;
  insert(std::nullopt, *host);
  return true;
}

void Drive::eject(bool announce) {
  if (!present()) return;
  computer().vfs().unmount(mount_);
  mount_.clear();
  disk_id_.reset();
  label_.reset();
  if (announce) post_event("disk_eject");
}

fs::path Drive::label_file() const {
  return computer().shared_dir() / "disk" / (std::to_string(disk_id_.value_or(0)) + ".label");
}

std::optional<std::string> Drive::label() const {
  if (!present()) return std::nullopt;
  if (!disk_id_) return label_;
  std::string saved;
  if (read_host_file(label_file().string(), saved) && !saved.empty()) return saved;
  return std::nullopt;
}

void Drive::set_label(std::optional<std::string> label) {
  if (!present()) return;
  if (label && label->size() > 32) label->resize(32);  // CC's limit, as for computer labels
  if (label && label->empty()) label.reset();
  if (!disk_id_) {
    label_ = std::move(label);
    return;
  }
  std::error_code ec;
  if (!label) {
    fs::remove(label_file(), ec);
    return;
  }
  fs::create_directories(label_file().parent_path(), ec);
  std::ofstream(label_file(), std::ios::binary | std::ios::trunc) << *label;
}

// ---------------------------------------------------------------- methods

namespace {
const bool kDriveRegistered = register_peripheral_type("drive", [](Computer&, std::string_view, std::string*) -> std::unique_ptr<Peripheral> {
  return std::make_unique<Drive>();
});
}  // namespace

}  // namespace moonbox
