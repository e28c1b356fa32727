#include "emulator/FileDrop.h"

#include <filesystem>
#include <system_error>

#include "vm/machine/Computer.h"
#include "vm/kernel/ValueCodec.h"

namespace moonbox {

namespace {

// Room for the table around the contents: names, keys and headers.
constexpr std::size_t kOverheadPerFile = 64;

}  // namespace

std::string file_transfer_payload(const std::vector<std::string>& host_paths, std::size_t limit,
                                  std::string& error) {
  namespace stdfs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> files;  // name, contents
  std::size_t total = 0;
  for (const std::string& path : host_paths) {
    std::error_code ec;
    std::string name = stdfs::path(path).filename().string();
    if (!stdfs::is_regular_file(path, ec)) {
      error = name + ": not a file";
      return {};
    }
    auto size = stdfs::file_size(path, ec);
    if (ec || size > limit || total + size + name.size() + kOverheadPerFile > limit) {
      error = "Too large to transfer";
      return {};
    }
    std::string contents;
    if (!read_host_file(path, contents)) {
      error = name + ": cannot be read";
      return {};
    }
    total += contents.size() + name.size() + kOverheadPerFile;
    if (total > limit) {  // it grew since file_size looked
      error = "Too large to transfer";
      return {};
    }
    files.emplace_back(std::move(name), std::move(contents));
  }
  std::string payload;
  MessageWriter w(payload);
  w.begin_table().key("files").begin_table();
  for (std::size_t i = 0; i < files.size(); i++) {
    w.integer(static_cast<std::int64_t>(i + 1)).begin_table();
    w.key("name").string(files[i].first);
    w.key("contents").string(files[i].second);
    w.end_table();
  }
  w.end_table().end_table();
  w.finish();
  return payload;
}

}  // namespace moonbox
