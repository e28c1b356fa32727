// Files dropped on a computer's window: one file_transfer event for the
// whole drop, as CC's (and CraftOS-PC's) import program expects. The event
// carries plain data, {files = {{name = ..., contents = ...}, ...}}, which a
// program pulling it sees as CC's TransferredFiles (vm/lua/LibOs.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace moonbox {

// The payload for the files at `host_paths`, named by their last component;
// "" with `error` set when one is not a regular file that can be read, or
// all of them together would pass `limit` bytes (an event's message limit).
std::string file_transfer_payload(const std::vector<std::string>& host_paths, std::size_t limit,
                                  std::string& error);

}  // namespace moonbox
