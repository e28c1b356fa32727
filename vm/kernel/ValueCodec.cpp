#include "vm/kernel/ValueCodec.h"

#include <cctype>
#include <cstdio>
#include <algorithm>
#include <cstring>

#include <lua.hpp>

namespace moonbox {

namespace {

enum Tag : std::uint8_t { NIL, FALSE, TRUE, INT, FLT, STR, TBL, END, REF };
constexpr std::size_t kHeaderSize = 1 + 4 + 4;
constexpr std::uint8_t kHasRefs = 1;

template <class T>
void put(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <class T>
void patch(std::string& out, std::size_t at, T v) {
  std::memcpy(out.data() + at, &v, sizeof(T));
}

// A bounds-checked reader over a message.
struct Reader {
  const char* p;
  const char* end;
  bool ok = true;
  template <class T>
  T get() {
    T v{};
    if (static_cast<std::size_t>(end - p) < sizeof(T)) { ok = false; p = end; return v; }
    std::memcpy(&v, p, sizeof(T));
    p += sizeof(T);
    return v;
  }
  std::string_view bytes(std::uint32_t n) {
    if (static_cast<std::size_t>(end - p) < n) { ok = false; p = end; return {}; }
    std::string_view s(p, n);
    p += n;
    return s;
  }
};

bool is_identifier(const char* s, std::size_t len) {
  if (len == 0 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 0; i < len; i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) && c != '_') return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- Encoder

EncodeStatus Encoder::encode(lua_State* L, int first, int count, std::string& out, std::size_t keep) {
  out.resize(keep);
  header_at_ = keep;
  out.append(kHeaderSize, '\0');
  // After a very large message, start again with a small map so that clearing
  // it stays cheap for the many small messages that usually follow.
  if (seen_.bucket_count() > 4096) seen_ = {};
  seen_.clear();
  frames_.clear();
  next_id_ = 0;
  max_depth_ = 0;
  has_refs_ = false;
  failed_value_ = -1;
  bad_type_ = "";
  status_ = EncodeStatus::Ok;
  base_top_ = lua_gettop(L);
  if (!lua_checkstack(L, 8)) {
    failed_value_ = 0;  // the first value is the one that cannot be started
    return status_ = EncodeStatus::TooDeep;
  }
  for (int i = 0; i < count; i++) {
    // Sharing is kept within a value, not across separate values: a table
    // passed twice arrives as two copies, as CC's os.queueEvent does.
    if (i > 0 && !seen_.empty()) seen_.clear();
    first_table_ = nullptr;
    if (begin_value(L, first + i, out)) status_ = run_frames(L, out);
    if (status_ == EncodeStatus::Ok && out.size() - header_at_ > limit_) status_ = EncodeStatus::TooLarge;
    if (status_ != EncodeStatus::Ok) {
      failed_value_ = i;
      return status_;  // the stack keeps the frames for push_error_path
    }
  }
  out[header_at_] = static_cast<char>(has_refs_ ? kHasRefs : 0);
  patch<std::uint32_t>(out, header_at_ + 1, static_cast<std::uint32_t>(count));
  patch<std::uint32_t>(out, header_at_ + 5, max_depth_);
  lua_settop(L, base_top_);
  return EncodeStatus::Ok;
}

EncodeStatus Encoder::encode(lua_State* L, int first, int count, std::string_view prefix) {
  buffer_.assign(prefix);
  prefix_ = prefix.size();
  return encode(L, first, count, buffer_, prefix_);
}

void Encoder::finish(lua_State* L) const { lua_settop(L, base_top_); }

// Writes the value at stack index idx. A scalar or an already-seen table is
// written where it is (returns false): a message's scalars cost no stack
// pushes, most of encoding a flat table. A new table opens a frame, its
// table on top of the stack (pushed there unless it is the top already,
// as a value just read by lua_next is), until run_frames has written its
// contents (returns true).
bool Encoder::begin_value(lua_State* L, int idx, std::string& out) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL: out.push_back(NIL); return false;
    case LUA_TBOOLEAN: out.push_back(lua_toboolean(L, idx) ? TRUE : FALSE); return false;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        out.push_back(INT);
        put<std::int64_t>(out, lua_tointeger(L, idx));
      } else {
        out.push_back(FLT);
        put<double>(out, lua_tonumber(L, idx));
      }
      return false;
    case LUA_TSTRING: {
      std::size_t len;
      const char* s = lua_tolstring(L, idx, &len);
      if (out.size() - header_at_ + len > limit_) {
        status_ = EncodeStatus::TooLarge;
        return false;
      }
      out.push_back(STR);
      put<std::uint32_t>(out, static_cast<std::uint32_t>(len));
      out.append(s, len);
      return false;
    }
    case LUA_TTABLE: return begin_table(L, idx, out);
    default:
      bad_type_ = lua_typename(L, lua_type(L, idx));
      status_ = EncodeStatus::BadType;
      return false;
  }
}

bool Encoder::begin_table(lua_State* L, int idx, std::string& out) {
  // The first table of a value (most messages have no other) is kept
  // aside rather than in the map: a flat message then costs no map node.
  const void* key = lua_topointer(L, idx);
  std::uint32_t seen_as = 0;
  if (key == first_table_) {
    seen_as = first_table_id_;
  } else if (first_table_ == nullptr) {
    first_table_ = key;
    first_table_id_ = next_id_ + 1;
  } else {
    auto [it, inserted] = seen_.try_emplace(key, next_id_ + 1);
    if (!inserted) seen_as = it->second;
  }
  if (seen_as != 0) {
    has_refs_ = true;
    out.push_back(REF);
    put<std::uint32_t>(out, seen_as);
    return false;
  }
  next_id_++;
  // the table (a copy, for a key), its key and its value
  if (!lua_checkstack(L, 4)) {
    status_ = EncodeStatus::TooDeep;
    return false;
  }
  // (a value of the caller's own is never used in place: its slot would be
  // popped with the frame)
  if (idx <= base_top_ || idx != lua_gettop(L)) lua_pushvalue(L, idx);
  out.push_back(TBL);
  Frame f{lua_gettop(L), out.size(), 0, 0, Stage::Next};
  put<std::uint32_t>(out, 0);
  put<std::uint32_t>(out, 0);
  lua_pushnil(L);  // the key slot for lua_next
  frames_.push_back(f);
  if (frames_.size() > max_depth_) max_depth_ = static_cast<std::uint32_t>(frames_.size());
  return true;
}

// Walks the open tables without recursion. The stack holds, per open table:
// the table, its current key, its current value; a table being written as
// a value is that value, one written as a key is pushed after them.
EncodeStatus Encoder::run_frames(lua_State* L, std::string& out) {
  while (!frames_.empty() && status_ == EncodeStatus::Ok) {
    Frame& f = frames_.back();
    switch (f.stage) {
      case Stage::Next:
        lua_settop(L, f.index + 1);  // table, key
        if (lua_next(L, f.index) == 0) {
          out.push_back(END);
          patch<std::uint32_t>(out, f.counts_at, f.narr);
          patch<std::uint32_t>(out, f.counts_at + 4, f.nrec);
          lua_settop(L, f.index - 1);  // pops the table
          frames_.pop_back();
          continue;
        }
        if (out.size() - header_at_ > limit_) return status_ = EncodeStatus::TooLarge;
        if (lua_isinteger(L, f.index + 1)) {
          lua_Integer k = lua_tointeger(L, f.index + 1);
          if (k >= 1 && k <= static_cast<lua_Integer>(f.narr + f.nrec + 1)) f.narr++;
          else f.nrec++;
        } else {
          f.nrec++;
        }
        f.stage = Stage::InKey;
        if (begin_value(L, f.index + 1, out)) continue;  // f may dangle now: loop again
        [[fallthrough]];
      case Stage::InKey:
        if (status_ != EncodeStatus::Ok) return status_;
        f.stage = Stage::InValue;
        if (begin_value(L, f.index + 2, out)) continue;
        [[fallthrough]];
      case Stage::InValue:
        if (status_ != EncodeStatus::Ok) return status_;
        f.stage = Stage::Next;
        break;
    }
  }
  return status_;
}

void Encoder::push_error_path(lua_State* L, const char* root) const {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, root);
  for (const Frame& f : frames_) {
    int key = f.index + 1;
    if (f.stage == Stage::InKey) {
      luaL_addstring(&b, "[<key>]");
      break;
    }
    if (f.stage != Stage::InValue) break;
    switch (lua_type(L, key)) {
      case LUA_TSTRING: {
        std::size_t len;
        const char* s = lua_tolstring(L, key, &len);
        if (is_identifier(s, len)) {
          luaL_addchar(&b, '.');
          luaL_addlstring(&b, s, len);
        } else {
          lua_pushfstring(L, "[\"%s\"]", s);
          luaL_addvalue(&b);
        }
        break;
      }
      case LUA_TNUMBER:
      case LUA_TBOOLEAN:
        luaL_addchar(&b, '[');
        luaL_tolstring(L, key, nullptr);
        luaL_addvalue(&b);
        luaL_addchar(&b, ']');
        break;
      default:
        lua_pushfstring(L, "[<%s>]", luaL_typename(L, key));
        luaL_addvalue(&b);
    }
  }
  luaL_pushresult(&b);
}

// ---------------------------------------------------------------- decoding

MessageInfo message_info(std::string_view msg) {
  MessageInfo info;
  if (msg.size() < kHeaderSize) return info;
  info.has_refs = (static_cast<std::uint8_t>(msg[0]) & kHasRefs) != 0;
  std::memcpy(&info.count, msg.data() + 1, 4);
  std::memcpy(&info.max_depth, msg.data() + 5, 4);
  return info;
}

// frames holds, per open table, its stack index times two, plus one while
// its key is on the stack and its value is due: which slot a finished value
// fills is known here, with no lua_gettop or lua_isnil for every value.
int decode(lua_State* L, std::string_view msg, std::vector<int>& frames) {
  MessageInfo info = message_info(msg);
  if (frames.capacity() < info.max_depth) luaL_error(L, "message too deeply nested");
  frames.clear();
  // two slots per open table, the refs table, and the results
  if (info.max_depth > 400000 || info.count > 100000 ||
      !lua_checkstack(L, static_cast<int>(2 * info.max_depth + info.count + 8)))
    luaL_error(L, "message too deeply nested");
  int refs = 0;
  if (info.has_refs) {
    lua_newtable(L);
    refs = lua_gettop(L);
  }
  std::uint32_t next_id = 0;
  Reader r{msg.data() + kHeaderSize, msg.data() + msg.size()};
  std::uint32_t done = 0;
  while (done < info.count && r.ok) {
    switch (r.get<std::uint8_t>()) {
      case NIL:
        if (!frames.empty() && !(frames.back() & 1)) luaL_error(L, "corrupt message");  // a nil key
        lua_pushnil(L);
        break;
      case FALSE: lua_pushboolean(L, 0); break;
      case TRUE: lua_pushboolean(L, 1); break;
      case INT: lua_pushinteger(L, r.get<std::int64_t>()); break;
      case FLT: lua_pushnumber(L, r.get<double>()); break;
      case STR: {
        auto len = r.get<std::uint32_t>();
        auto s = r.bytes(len);
        lua_pushlstring(L, s.data(), s.size());
        break;
      }
      case TBL: {
        auto narr = r.get<std::uint32_t>();
        auto nrec = r.get<std::uint32_t>();
        // The counts come from our own encoder; clamp them anyway so that a
        // wrong count can never ask for a huge allocation.
        lua_createtable(L, static_cast<int>(narr < 1u << 20 ? narr : 0),
                        static_cast<int>(nrec < 1u << 20 ? nrec : 0));
        ++next_id;
        if (refs) {
          lua_pushvalue(L, -1);
          lua_rawseti(L, refs, next_id);
        }
        if (frames.size() >= info.max_depth) luaL_error(L, "corrupt message");
        frames.push_back(lua_gettop(L) * 2);
        continue;  // not a finished value yet
      }
      case END:
        if (frames.empty() || (frames.back() & 1)) luaL_error(L, "corrupt message");  // no table, or a key alone
        frames.pop_back();
        break;  // the finished table is on top
      case REF:
        if (!refs) luaL_error(L, "corrupt message");
        lua_rawgeti(L, refs, r.get<std::uint32_t>());
        break;
      default:
        luaL_error(L, "corrupt message");
    }
    // A value is complete on top of the stack: a result, a key, or a value.
    if (frames.empty()) {
      done++;
    } else if (frames.back() & 1) {
      frames.back() &= ~1;
      lua_rawset(L, frames.back() / 2);
    } else {
      frames.back() |= 1;
    }
  }
  if (!r.ok || !frames.empty()) luaL_error(L, "corrupt message");
  if (refs) lua_remove(L, refs);
  return static_cast<int>(info.count);
}

bool valid_message(std::string_view msg, std::uint32_t max_depth) {
  if (msg.size() < kHeaderSize) return false;
  MessageInfo info = message_info(msg);
  if (info.max_depth > max_depth || info.count > 100000) return false;
  // Per open table: true while a key has been read and its value is due.
  std::vector<bool> frames;
  std::uint32_t tables = 0, done = 0, deepest = 0;
  Reader r{msg.data() + kHeaderSize, msg.data() + msg.size()};
  while (done < info.count) {
    if (r.p >= r.end) return false;
    bool nil_or_nan = false;
    switch (r.get<std::uint8_t>()) {
      case NIL: nil_or_nan = true; break;
      case FALSE:
      case TRUE: break;
      case INT: r.get<std::int64_t>(); break;
      case FLT: {
        double d = r.get<double>();
        nil_or_nan = d != d;
        break;
      }
      case STR: r.bytes(r.get<std::uint32_t>()); break;
      case TBL:
        r.get<std::uint32_t>();
        r.get<std::uint32_t>();
        tables++;
        frames.push_back(false);
        deepest = std::max(deepest, static_cast<std::uint32_t>(frames.size()));
        if (deepest > info.max_depth) return false;
        continue;  // not a finished value yet
      case END:
        if (frames.empty() || frames.back()) return false;  // no table open, or a key without its value
        frames.pop_back();
        break;  // the finished table is a value
      case REF: {
        std::uint32_t id = r.get<std::uint32_t>();
        if (!info.has_refs || id == 0 || id > tables) return false;
        break;
      }
      default: return false;
    }
    if (!r.ok) return false;
    if (frames.empty()) {
      done++;
    } else if (!frames.back()) {  // a key
      if (nil_or_nan) return false;
      frames.back() = true;
    } else {
      frames.back() = false;  // its value
    }
  }
  return r.ok && frames.empty() && r.p == r.end;
}

// ---------------------------------------------------------------- preview

namespace {

// Where a preview is written.
struct GrowingText {
  std::string& s;
  std::size_t size() const { return s.size(); }
  GrowingText& operator+=(char c) { s += c; return *this; }
  GrowingText& operator+=(std::string_view v) { s += v; return *this; }
  void cut(std::size_t len) { if (s.size() > len) s.resize(len); }
};

template <class Out>
void render_preview(std::string_view msg, std::size_t max_len, Out& s) {
  MessageInfo info = message_info(msg);
  Reader r{msg.data() + kHeaderSize, msg.data() + msg.size()};
  // Per open table: how many key/value slots were written (even = a key next).
  std::uint32_t slots[64];
  int depth = 0;
  std::uint32_t done = 0;
  char num[32];
  auto separator = [&] {
    if (depth == 0) {
      if (done > 0) s += ", ";
      return;
    }
    std::uint32_t n = slots[depth - 1];
    if (n > 0) s += (n % 2 == 1) ? '=' : ',';
  };
  auto finish = [&] {
    if (s.size() > max_len) {
      s.cut(max_len - 3);
      s += "...";
    }
  };
  while (done < info.count && r.ok && s.size() <= max_len) {
    auto tag = r.get<std::uint8_t>();
    if (tag == END) {
      s += '}';
      if (depth > 0) depth--;
    } else {
      bool is_key = depth > 0 && depth <= 64 && slots[depth - 1] % 2 == 0;
      bool bracket = is_key && tag != STR && tag != TBL;  // [1]=, [true]=
      separator();
      if (bracket) s += '[';
      switch (tag) {
        case NIL: s += "nil"; break;
        case FALSE: s += "false"; break;
        case TRUE: s += "true"; break;
        case INT:
          std::snprintf(num, sizeof num, "%lld", static_cast<long long>(r.get<std::int64_t>()));
          s += std::string_view(num);
          break;
        case FLT:
          std::snprintf(num, sizeof num, "%.14g", r.get<double>());
          s += std::string_view(num);
          break;
        case STR: {
          auto str = r.bytes(r.get<std::uint32_t>());
          bool bare = is_key && is_identifier(str.data(), str.size());
          if (!bare) s += is_key ? "[\"" : "\"";
          for (char c : str.substr(0, max_len)) s += (c >= 32 && c < 127) ? c : '?';
          if (!bare) s += is_key ? "\"]" : "\"";
          break;
        }
        case TBL:
          r.get<std::uint32_t>();
          r.get<std::uint32_t>();
          s += '{';
          if (depth < 64) slots[depth] = 0;
          depth++;
          if (depth > 64) {
            s += "...";
            finish();
            return;
          }
          continue;
        case REF:
          std::snprintf(num, sizeof num, "<ref %u>", r.get<std::uint32_t>());
          s += std::string_view(num);
          break;
        default: r.ok = false; break;
      }
      if (bracket) s += ']';
    }
    if (depth > 0) slots[depth - 1]++;
    else done++;
  }
  if (!r.ok && s.size() > 0) s += "...";  // the message was cut short (a trace preview)
  finish();
}

}  // namespace

std::string preview(std::string_view msg, std::size_t max_len) {
  std::string text;
  GrowingText out{text};
  render_preview(msg, max_len, out);
  return text;
}


// ---------------------------------------------------------------- inspect

namespace {

// Reads one value at r; renders a scalar into text, or for a table notes
// where it starts, counts its entries and skips it. False on a corrupt record.
bool render_value(Reader& r, const char* base, std::string& text, std::size_t& table_at) {
  table_at = 0;
  const char* start = r.p;
  switch (r.get<std::uint8_t>()) {
    case NIL: text = "nil"; break;
    case FALSE: text = "false"; break;
    case TRUE: text = "true"; break;
    case INT: text = std::to_string(r.get<std::int64_t>()); break;
    case FLT: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.14g", r.get<double>());
      text = buf;
      break;
    }
    case STR: {
      auto s = r.bytes(r.get<std::uint32_t>());
      // Built from chars and appends: g++ 12's -Wrestrict misfires on the
      // inlined `text = "\""` and `"literal" + std::string` (GCC bug 105329).
      text.assign(1, '"');
      for (char c : s.substr(0, 200)) text += (c >= 32 && c < 127) ? c : '?';
      if (s.size() > 200) {
        text += "...\" (";
        text += std::to_string(s.size());
        text += " bytes)";
      } else {
        text += '"';
      }
      break;
    }
    case REF:
      text.assign("<ref ");
      text += std::to_string(r.get<std::uint32_t>());
      text += '>';
      break;
    case TBL: {
      table_at = static_cast<std::size_t>(start - base);
      r.get<std::uint32_t>();
      r.get<std::uint32_t>();
      // Skip to the matching END, counting the direct entries.
      std::size_t depth = 1, slots = 0;
      while (depth > 0 && r.ok) {
        std::uint8_t tag = r.get<std::uint8_t>();
        if (depth == 1 && tag != END) slots++;
        switch (tag) {
          case NIL: case FALSE: case TRUE: break;
          case INT: r.get<std::int64_t>(); break;
          case FLT: r.get<double>(); break;
          case STR: r.bytes(r.get<std::uint32_t>()); break;
          case REF: r.get<std::uint32_t>(); break;
          case TBL: r.get<std::uint32_t>(); r.get<std::uint32_t>(); depth++; break;
          case END: depth--; break;
          default: r.ok = false;
        }
      }
      text = "{...} (" + std::to_string(slots / 2) + (slots / 2 == 1 ? " entry)" : " entries)");
      break;
    }
    default: r.ok = false;
  }
  return r.ok;
}

}  // namespace

std::vector<InspectEntry> inspect(std::string_view msg, std::size_t table_at, std::size_t max_entries, bool* more) {
  std::vector<InspectEntry> out;
  if (more) *more = false;
  if (msg.size() < kHeaderSize) return out;
  Reader r{msg.data() + kHeaderSize, msg.data() + msg.size()};
  if (table_at == 0) {
    MessageInfo info = message_info(msg);
    for (std::uint32_t i = 0; i < info.count && r.ok; i++) {
      if (out.size() >= max_entries) {
        if (more) *more = true;
        break;
      }
      InspectEntry e;
      e.key = '#';  // not "#" + to_string(): GCC bug 105329 (-Wrestrict)
      e.key += std::to_string(i + 1);
      if (!render_value(r, msg.data(), e.value, e.table_at)) break;
      out.push_back(std::move(e));
    }
    return out;
  }
  if (table_at >= msg.size() || static_cast<std::uint8_t>(msg[table_at]) != TBL) return out;
  r.p = msg.data() + table_at + 1 + 8;
  while (r.ok && r.p < r.end && static_cast<std::uint8_t>(*r.p) != END) {
    if (out.size() >= max_entries) {
      if (more) *more = true;
      break;
    }
    InspectEntry e;
    std::size_t key_table;
    std::string key;
    if (!render_value(r, msg.data(), key, key_table)) break;
    // Keys read like Lua: name, [1], ["two words"].
    if (key.size() >= 2 && key.front() == '"' && is_identifier(key.data() + 1, key.size() - 2)) e.key = key.substr(1, key.size() - 2);
    else e.key = "[" + key + "]";
    if (!render_value(r, msg.data(), e.value, e.table_at)) break;
    out.push_back(std::move(e));
  }
  return out;
}

// ---------------------------------------------------------------- writer

MessageWriter::MessageWriter(std::string& out) : out_(out) {
  out_.clear();
  out_.append(kHeaderSize, '\0');
}

void MessageWriter::value_written() {
  if (open_.empty()) count_++;
  else open_.back().slots++;
}

MessageWriter& MessageWriter::nil() { out_.push_back(NIL); value_written(); return *this; }
MessageWriter& MessageWriter::boolean(bool b) { out_.push_back(b ? TRUE : FALSE); value_written(); return *this; }
MessageWriter& MessageWriter::integer(std::int64_t i) { out_.push_back(INT); put(out_, i); value_written(); return *this; }
MessageWriter& MessageWriter::number(double d) { out_.push_back(FLT); put(out_, d); value_written(); return *this; }

MessageWriter& MessageWriter::string(std::string_view s) {
  out_.push_back(STR);
  put<std::uint32_t>(out_, static_cast<std::uint32_t>(s.size()));
  out_.append(s);
  value_written();
  return *this;
}

MessageWriter& MessageWriter::begin_table() {
  out_.push_back(TBL);
  open_.push_back({out_.size(), 0});
  put<std::uint32_t>(out_, 0);
  put<std::uint32_t>(out_, 0);
  if (open_.size() > max_depth_) max_depth_ = static_cast<std::uint32_t>(open_.size());
  return *this;
}

MessageWriter& MessageWriter::end_table() {
  out_.push_back(END);
  patch<std::uint32_t>(out_, open_.back().counts_at + 4, open_.back().slots / 2);
  open_.pop_back();
  value_written();
  return *this;
}

MessageWriter& MessageWriter::values_of(std::string_view encoded) {
  if (encoded.size() < kHeaderSize || !open_.empty()) return *this;
  MessageInfo info = message_info(encoded);
  out_[0] = static_cast<char>(out_[0] | encoded[0]);  // has_refs
  out_.append(encoded.substr(kHeaderSize));
  count_ += info.count;
  max_depth_ = std::max(max_depth_, info.max_depth);
  return *this;
}

void MessageWriter::finish() {
  patch<std::uint32_t>(out_, 1, count_);
  patch<std::uint32_t>(out_, 5, max_depth_);
}

}  // namespace moonbox
