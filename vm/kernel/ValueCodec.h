// ValueCodec: the deep copy of Lua values between two process states.
//
// A value is first encoded into a flat byte message in the sender's state and
// later decoded into the receiver's state. Encoding is where the copy rules are
// enforced (no functions, coroutines or userdata; a size limit), and the flat
// message is what the kernel queues, measures and previews. Both directions are
// iterative, so tables nested to any depth never recurse on the C stack.
//
// Format: header {u8 flags, u32 count, u32 maxdepth} then `count` values:
//   NIL | FALSE | TRUE | INT i64 | FLT f64 | STR u32 len bytes
//   | TBL u32 narr u32 nrec (key value)* END | REF u32 id
// Tables are numbered from 1 in the order their TBL record appears; REF names
// one already seen, which keeps shared subtables shared and cycles cyclic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vm/kernel/Defaults.h"

struct lua_State;

namespace moonbox {

enum class EncodeStatus { Ok, BadType, TooLarge, TooDeep };

class Encoder {
 public:
  explicit Encoder(std::size_t size_limit = defaults::kMessageLimit) : limit_(size_limit) {}

  // Encodes the `count` values at stack indexes first..first+count-1 of L into
  // out. Never raises a Lua error. On BadType the failing type and the path
  // are kept for push_error_path until the next call.
  // Its first `keep` bytes (a prefix the caller wrote) stay as they are.
  EncodeStatus encode(lua_State* L, int first, int count, std::string& out, std::size_t keep = 0);
  // The same into the encoder's own buffer, after `prefix` (an event's
  // name): output() shows the encoded values until the next call (the
  // bindings keep no buffers of their own), and the kernel may queue the
  // whole buffer, name then values, as an event (buffer(), and
  // Mailbox::push_buffer).
  EncodeStatus encode(lua_State* L, int first, int count, std::string_view prefix = {});
  std::string_view output() const { return std::string_view(buffer_).substr(prefix_); }
  // The buffer (prefix, then output), for a mailbox to keep; the encoder
  // goes on with the one given back.
  std::string& buffer() { return buffer_; }

  std::size_t limit() const { return limit_; }
  void set_limit(std::size_t limit) { limit_ = limit; }

  // After a failure: the index (0-based) of the top-level value that failed,
  // and the Lua type name that cannot be sent.
  int failed_value() const { return failed_value_; }
  const char* bad_type() const { return bad_type_; }
  // Pushes "root.key[2]..." for the place that failed. May raise (memory).
  void push_error_path(lua_State* L, const char* root) const;
  // Leaves the Lua stack as it was before encode().
  void finish(lua_State* L) const;

 private:
  enum class Stage { Next, InKey, InValue };
  struct Frame {
    int index;              // stack index of the table; its key is at index+1
    std::size_t counts_at;  // where narr/nrec are patched in
    std::uint32_t narr, nrec;
    Stage stage;
  };
  bool begin_value(lua_State* L, int idx, std::string& out);
  bool begin_table(lua_State* L, int idx, std::string& out);
  EncodeStatus run_frames(lua_State* L, std::string& out);

  std::size_t limit_;
  std::string buffer_;
  std::unordered_map<const void*, std::uint32_t> seen_;  // tables after the first
  const void* first_table_ = nullptr;                    // the value's first table
  std::uint32_t first_table_id_ = 0;
  std::vector<Frame> frames_;
  std::uint32_t next_id_ = 0;
  std::uint32_t max_depth_ = 0;
  bool has_refs_ = false;
  int base_top_ = 0;
  std::size_t prefix_ = 0;  // of buffer_, before the output
  std::size_t header_at_ = 0;  // where the message starts in its buffer
  int failed_value_ = -1;
  const char* bad_type_ = "";
  EncodeStatus status_ = EncodeStatus::Ok;
};

// Header facts of an encoded message.
struct MessageInfo {
  std::uint32_t count = 0;
  std::uint32_t max_depth = 0;
  bool has_refs = false;
};
MessageInfo message_info(std::string_view msg);

// True when msg is a well-formed message that decode() will turn into
// values without an error: every tag, length and reference in bounds, no
// nil or NaN key, tables closed, its header's counts right, and at most
// max_depth tables deep. For messages from outside the process (the MQTT
// bridge), checked before they are queued. No Lua is needed.
bool valid_message(std::string_view msg, std::uint32_t max_depth);

// Pushes the values of msg onto L and returns how many. `frames` must have a
// capacity of at least message_info(msg).max_depth (reserve it before calling,
// where a C++ allocation failure can still be caught). May raise a Lua error
// (not enough memory, or too deeply nested for the stack).
int decode(lua_State* L, std::string_view msg, std::vector<int>& frames);

// A short, human-readable rendering such as {n=1,s="hello"}, at most max_len
// bytes (cut with "..."). Safe on any message.
std::string preview(std::string_view msg, std::size_t max_len = 48);

// Lazy inspection of a message, for the debugger's value tree: one level
// at a time, so a huge or deeply nested value costs only what is expanded.
struct InspectEntry {
  std::string key;            // rendered key ("n", "[1]", "#2" for a top-level value)
  std::string value;          // a rendered scalar, or "{...}" with its size
  std::size_t table_at = 0;   // where the value's table starts; 0 if not a table
};
// The top-level values of msg when table_at == 0, else the entries of the
// table whose record starts at table_at. At most max_entries are listed;
// `more` tells whether some were left out.
std::vector<InspectEntry> inspect(std::string_view msg, std::size_t table_at, std::size_t max_entries,
                                  bool* more = nullptr);

// Builds messages from C++ (kernel events such as process_complete).
class MessageWriter {
 public:
  explicit MessageWriter(std::string& out);
  MessageWriter& nil();
  MessageWriter& boolean(bool b);
  MessageWriter& integer(std::int64_t i);
  MessageWriter& number(double d);
  MessageWriter& string(std::string_view s);
  MessageWriter& begin_table();
  MessageWriter& end_table();
  // Appends the values of another encoded message (header included) as
  // values of this one, at the top level. Only valid while no table has been
  // written here, so that the appended tables keep their numbers (REF ids).
  MessageWriter& values_of(std::string_view encoded);
  // Convenience for a string-keyed field; the value follows.
  MessageWriter& key(std::string_view k) { return string(k); }
  // Patches the header; call once at the end.
  void finish();

 private:
  void value_written();
  struct Open { std::size_t counts_at; std::uint32_t slots; };
  std::string& out_;
  std::vector<Open> open_;
  std::uint32_t count_ = 0;
  std::uint32_t max_depth_ = 0;
};

}  // namespace moonbox
