#include "vm/lua/Dialect.h"

#include <cstring>

#include <lua.hpp>

namespace moonbox {

namespace {

// The length of the long bracket opening at s[i] ("[", "=" * n, "["), or 0.
std::size_t long_bracket(std::string_view s, std::size_t i, std::size_t* level) {
  if (i >= s.size() || s[i] != '[') return 0;
  std::size_t j = i + 1;
  while (j < s.size() && s[j] == '=') j++;
  if (j >= s.size() || s[j] != '[') return 0;
  *level = j - i - 1;
  return j - i + 1;
}

// Copies a long string or comment whose opening bracket starts at i; returns
// the index after it.
std::size_t copy_long(std::string_view s, std::size_t i, std::size_t open, std::size_t level, std::string& out) {
  std::string close(level + 2, '=');  // "]" + level "=" + "]"
  close.front() = ']';
  close.back() = ']';
  std::size_t end = s.find(close, i + open);
  end = end == std::string_view::npos ? s.size() : end + close.size();
  out.append(s.substr(i, end - i));
  return end;
}

bool is_lua54_escape(std::string_view s, std::size_t i) {
  char c = s[i];
  if (std::strchr("abfnrtv\\\"'\n\rz", c) || (c >= '0' && c <= '9')) return true;
  if (c == 'x') return true;  // a bad \x is an error in CC too
  if (c == 'u') return i + 1 < s.size() && s[i + 1] == '{';
  return false;
}

}  // namespace

std::string rewrite_cc_source(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    std::size_t level = 0;
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      std::size_t open = long_bracket(s, i + 2, &level);
      if (open) {
        out.append("--");
        i = copy_long(s, i + 2, open, level, out);
      } else {
        std::size_t end = s.find('\n', i);
        end = end == std::string_view::npos ? s.size() : end;
        out.append(s.substr(i, end - i));
        i = end;
      }
    } else if (std::size_t open = long_bracket(s, i, &level)) {
      i = copy_long(s, i, open, level, out);
    } else if (c == '"' || c == '\'') {
      out += c;
      i++;
      while (i < s.size() && s[i] != c && s[i] != '\n') {
        if (s[i] == '\\' && i + 1 < s.size()) {
          if (is_lua54_escape(s, i + 1)) {
            out.append(s.substr(i, 2));
          } else {
            out += s[i + 1];  // "\q" is "q", as in Lua 5.1
          }
          i += 2;
        } else {
          out += s[i++];
        }
      }
      if (i < s.size()) out += s[i++];
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

int load_cc_chunk(lua_State* L, std::string_view source, const char* chunkname, const char* mode) {
  if (!source.empty() && source[0] == '#') {
    // A "#!" first line is a comment, as luaL_loadfile treats it (the line
    // count stays the same).
    std::string commented;
    try {
      commented = "--";
      commented += source;
    } catch (...) {
      return luaL_loadbufferx(L, source.data(), source.size(), chunkname, mode);
    }
    return load_cc_chunk(L, commented, chunkname, mode);
  }
  int status = luaL_loadbufferx(L, source.data(), source.size(), chunkname, mode);
  if (status != LUA_ERRSYNTAX) return status;
  const char* msg = lua_tostring(L, -1);
  if (!msg || (!std::strstr(msg, "invalid escape sequence") && !std::strstr(msg, "missing '{'"))) return status;
  std::string fixed;
  try {
    fixed = rewrite_cc_source(source);
  } catch (...) {
    return status;
  }
  if (fixed == source) return status;
  lua_pop(L, 1);
  return luaL_loadbufferx(L, fixed.data(), fixed.size(), chunkname, mode);
}

}  // namespace moonbox
