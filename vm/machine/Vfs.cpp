#include "vm/machine/Vfs.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace moonbox {

namespace fs = std::filesystem;

Vfs::Vfs(fs::path root, fs::path rom) : root_(std::move(root)), rom_(std::move(rom)) {
  std::error_code ec;
  root_ = fs::weakly_canonical(root_, ec);
  rom_ = fs::weakly_canonical(rom_, ec);
  recount();
}

void Vfs::ensure_root() const {
  if (root_made_) return;
  std::error_code ec;
  fs::create_directories(root_, ec);
  root_made_ = !ec;
}

// The state directory (the label, the configuration, a world's other
// computers) is not the programs' and does not count against their quota.
void Vfs::recount() { root_space_->set_used(tree_bytes(root_) - cost_of(root_ / kStateDir)); }

std::shared_ptr<DiskSpace> Vfs::space_of(std::string_view vpath) const {
  const Mount* m = mount_of(vpath);
  return m ? m->space : root_space_;
}

std::string Vfs::normalize(std::string_view path, std::string_view cwd) {
  std::vector<std::string_view> parts;
  auto split = [&parts](std::string_view p) {
    while (!p.empty()) {
      auto slash = p.find_first_of("/\\");
      std::string_view part = p.substr(0, slash);
      p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash + 1);
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();
        continue;
      }
      parts.push_back(part);
    }
  };
  if (path.empty() || (path[0] != '/' && path[0] != '\\')) split(cwd);
  split(path);
  std::string out;
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

bool Vfs::is_read_only(std::string_view vpath) const {
  return vpath == "/rom" || vpath.starts_with("/rom/");
}

bool Vfs::is_hidden(std::string_view vpath) {
  if (!vpath.starts_with('/') || vpath.substr(1, kStateDir.size()) != kStateDir) return false;
  return vpath.size() == kStateDir.size() + 1 || vpath[kStateDir.size() + 1] == '/';
}

namespace {
// The first part of a normalised path ("disk" of "/disk/a").
std::string_view top_name(std::string_view vpath) {
  std::string_view rest = vpath.substr(1);
  return rest.substr(0, rest.find('/'));
}
}  // namespace

const Vfs::Mount* Vfs::mount_of(std::string_view vpath) const {
  if (!vpath.starts_with('/')) return nullptr;
  std::string_view top = top_name(vpath);
  for (const Mount& m : mounts_)
    if (m.name == top) return &m;
  return nullptr;
}

std::string Vfs::mount_disk(fs::path host, std::string drive, std::shared_ptr<DiskSpace> space) {
  std::error_code ec;
  fs::create_directories(host, ec);
  host = fs::weakly_canonical(host, ec);
  for (int n = 1;; n++) {
    std::string name = n == 1 ? "disk" : "disk" + std::to_string(n);
    std::string vpath = "/" + name;
    if (mount_of(vpath)) continue;
    mounts_.push_back(Mount{name, std::move(host), std::move(drive), std::move(space)});
    return name;
  }
}

void Vfs::unmount(std::string_view name) {
  std::erase_if(mounts_, [name](const Mount& m) { return m.name == name; });
}

std::uintmax_t Vfs::tree_bytes(const fs::path& host) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(host, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code e2;
    total += entry_cost(it->is_regular_file(e2) ? it->file_size(e2) : 0);
  }
  return total;
}

std::uintmax_t Vfs::cost_of(const fs::path& p) {
  std::error_code ec;
  fs::file_status st = fs::symlink_status(p, ec);
  if (ec || !fs::exists(st)) return 0;
  if (fs::is_regular_file(st)) return entry_cost(fs::file_size(p, ec));
  if (fs::is_directory(st)) return kMinEntrySize + tree_bytes(p);
  return kMinEntrySize;
}

std::uintmax_t Vfs::missing_dirs(const fs::path& dir) {
  std::uintmax_t n = 0;
  std::error_code ec;
  for (fs::path d = dir; !d.empty() && !fs::exists(d, ec); d = d.parent_path()) {
    n++;
    if (d == d.parent_path()) break;
  }
  return n;
}

std::optional<fs::path> Vfs::host_path(std::string_view vpath) const {
  if (vpath.find('\0') != std::string_view::npos) return std::nullopt;
  std::string norm = normalize(vpath);
  if (is_hidden(norm)) return std::nullopt;
  const Mount* mount = mount_of(norm);
  const fs::path& base = mount ? mount->host : is_read_only(norm) ? rom_ : root_;
  if (norm == "/") ensure_root();  // "/" always exists (only what is below it may not)
  std::string_view rest = std::string_view(norm);
  if (mount) rest = rest.substr(1 + mount->name.size());
  else if (is_read_only(norm)) rest = rest.substr(4);
  return inside(base, rest);
}

// base (canonical: made so when the Vfs or the mount was made) joined with
// rest ("" or "/a/b", normalised: no "." or ".."), with the symlinks in
// what exists resolved; none when that lands outside base: a link planted
// in the data directory must not reach the host. Only rest's parts are
// looked at, one lstat each until one is missing (base is known, and
// resolving all of it again, as weakly_canonical does, cost a stat and a
// readlink for each of the host path's parts: a computer's boot made 300
// such calls; with the mkdir Vfs no longer makes up front, turning on
// 1,000 computers went from 1.89-1.94 s to 1.57-1.77 s). A
// part that is a link sends the whole path through weakly_canonical.
std::optional<fs::path> Vfs::inside(const fs::path& base, std::string_view rest) {
  fs::path real = base;
  bool walking = true;  // every part so far exists and is no link
  std::error_code ec;
  while (!rest.empty()) {
    rest.remove_prefix(1);
    std::size_t slash = rest.find('/');
    real /= fs::path(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (!walking) continue;
    fs::file_status st = fs::symlink_status(real, ec);
    if (ec || !fs::exists(st)) walking = false;  // the rest cannot be a link
    else if (fs::is_symlink(st)) return resolved_inside(base, real.native() + std::string(rest));
  }
  return real;
}

std::optional<fs::path> Vfs::resolved_inside(const fs::path& base, const fs::path& p) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(p, ec);
  if (ec) return std::nullopt;
  auto [b, r] = std::mismatch(base.begin(), base.end(), real.begin(), real.end());
  if (b != base.end()) return std::nullopt;
  return real;
}

bool Vfs::exists(std::string_view vpath) const {
  auto p = host_path(vpath);
  std::error_code ec;
  return p && fs::exists(*p, ec);
}

bool Vfs::is_file(std::string_view vpath) const {
  auto p = host_path(vpath);
  std::error_code ec;
  return p && fs::is_regular_file(*p, ec);
}

std::optional<std::string> Vfs::read_file(std::string_view vpath) const {
  auto p = host_path(vpath);
  std::error_code ec;
  if (!p || !fs::is_regular_file(*p, ec)) return std::nullopt;
  std::ifstream in(*p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

}  // namespace moonbox
