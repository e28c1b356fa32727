// http: CC:Tweaked's http API over the computer's HttpClient
// (vm/machine/HttpClient.h), with CraftOS-PC's addListener/removeListener.
// The C half is CC's native API: request, checkURL (async), websocket
// (async), and the handles; rom/apis/http/http.lua adds the synchronous
// get, post, checkURL and websocket, written in Lua as CC's are.
//
// Handles travel in events as tokens ({moonbox_handle = kind, id = n}),
// which a program's pullEvent turns into handle tables here
// (push_event_handles). A handle is a table of closures whose upvalue 1 is
// a small userdata naming the handle (kind, number): every method converts
// its arguments first and then looks the handle up in the HttpClient, so a
// handle closed meanwhile (by a __tostring, say) only makes the method
// raise "attempt to use a closed file".
#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#include "vm/lua/Binding.h"
#include "vm/lua/LibHttp.h"
#include "vm/lua/Sandbox.h"
#include "vm/machine/Computer.h"

namespace moonbox {

namespace {

enum class Kind { Response = 1, Request, Answer, Websocket };

struct HandleRef {
  Kind kind;
  int id;
};

const char* const kHandleRefMeta = "moonbox.http.handle";

HttpClient& client(lua_State* L) { return current_computer(L).http(); }

// ---------------------------------------------------------------- arguments

// Reads a headers table: string keys with string values, as CC's (other
// entries are ignored). A line break in either would split the request, so
// it is refused.
void read_headers(lua_State* L, int idx, std::vector<HttpHeader>& out) {
  if (lua_isnoneornil(L, idx)) return;
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
      std::size_t nlen, vlen;
      const char* name = lua_tolstring(L, -2, &nlen);
      const char* value = lua_tolstring(L, -1, &vlen);
      std::string_view n(name, nlen), v(value, vlen);
      if (n.empty() || n.find_first_of(std::string_view("\r\n:\0 ", 5)) != std::string_view::npos)
        cc_error(L, "a header name contains prohibited characters: %s", name);
      if (v.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        cc_error(L, "a header value contains a prohibited character");
      out.push_back({std::string(n), std::string(v)});
    }
    lua_pop(L, 1);
  }
}

// A field of an options table, as CC's: "bad field 'url' (string expected, got nil)".
int field(lua_State* L, int table, const char* name, int type, bool optional) {
  int got = lua_getfield(L, table, name);
  if (got == type || (optional && got == LUA_TNIL)) return got;
  cc_error(L, "bad field '%s' (%s expected, got %s)", name, lua_typename(L, type), luaL_typename(L, -1));
}

double check_timeout(lua_State* L, std::optional<double> given, double def) {
  double t = given.value_or(def);
  if (std::isnan(t) || t < 0 || t > 60) cc_error(L, "timeout out of range (%s)", push_cc_number(L, t));
  return t;
}

// CC's methods; CONNECT and anything else is refused.
bool known_method(std::string& m) {
  for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const char* const methods[] = {"GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE"};
  return std::any_of(std::begin(methods), std::end(methods), [&](const char* k) { return m == k; });
}

std::string to_string(lua_State* L, int idx) {
  std::size_t len;
  const char* s = lua_tolstring(L, idx, &len);
  return std::string(s, len);
}

// Raises the failure's words, or returns true. (A Status holds no heap: a
// raise past it leaks nothing.)
int answer_status(lua_State* L, const Status& s) {
  if (!s.ok()) return luaL_error(L, "%s", s.message());
  lua_pushboolean(L, 1);
  return 1;
}

// false, why: CC's answer for a URL it cannot request at all.
int url_refused(lua_State* L, const std::optional<std::string>& why) {
  lua_pushboolean(L, 0);
  lua_pushlstring(L, why->data(), why->size());
  return 2;
}

// ---------------------------------------------------------------- the API

// http.request(url [, body [, headers [, binary]]]) or http.request{url =
// ..., body =, headers =, binary =, method =, redirect =, timeout =}
int http_request(lua_State* L) {
  // Filled in a box: a raise while converting (a bad field) leaks nothing.
  HttpClient::Request& r = new_boxed<HttpClient::Request>(L);
  std::optional<double> timeout;
  bool has_method = false;
  if (lua_type(L, 1) == LUA_TTABLE) {
    field(L, 1, "url", LUA_TSTRING, false);
    r.url = to_string(L, -1);
    if (field(L, 1, "body", LUA_TSTRING, true) == LUA_TSTRING) r.body = to_string(L, -1);
    if (field(L, 1, "headers", LUA_TTABLE, true) == LUA_TTABLE) read_headers(L, -1, r.headers);
    if (field(L, 1, "binary", LUA_TBOOLEAN, true) == LUA_TBOOLEAN) r.binary = lua_toboolean(L, -1);
    if (field(L, 1, "method", LUA_TSTRING, true) == LUA_TSTRING) {
      r.method = to_string(L, -1);
      has_method = true;
    }
    if (field(L, 1, "redirect", LUA_TBOOLEAN, true) == LUA_TBOOLEAN) r.redirect = lua_toboolean(L, -1);
    if (field(L, 1, "timeout", LUA_TNUMBER, true) == LUA_TNUMBER) timeout = lua_tonumber(L, -1);
  } else {
    std::size_t len;
    const char* url = check_string(L, 1, &len);
    r.url.assign(url, len);
    if (!lua_isnoneornil(L, 2)) {
      const char* body = check_string(L, 2, &len);  // before len is read
      r.body = std::string(body, len);
    }
    if (!lua_isnoneornil(L, 3)) {
      check_table(L, 3);
      read_headers(L, 3, r.headers);
    }
    if (!lua_isnoneornil(L, 4)) {
      if (!lua_isboolean(L, 4)) type_error(L, 4, "boolean");
      r.binary = lua_toboolean(L, 4);
    }
  }
  r.timeout = check_timeout(L, timeout, client(L).config().limits.timeout);
  if (has_method) {
    if (!known_method(r.method)) cc_error(L, "Unsupported HTTP method");
  } else {
    r.method = r.body ? "POST" : "GET";
  }
  if (auto why = check_url(r.url, false)) return url_refused(L, why);
  Process& self = current_process(L);
  Kernel& k = self.kernel();
  k.trace().record_network(TraceKind::HttpRequest, k.now(), self.pid(), 0, r.method, r.body ? r.body->size() : 0,
                           r.url, 0);
  Status s = client(L).request(self.pid(), std::move(r));
  return answer_status(L, s);
}

// http.checkURL (the native, asynchronous one): an http_check event follows.
int http_checkURL(lua_State* L) {
  std::size_t len;
  const char* url = check_string(L, 1, &len);
  std::string_view u(url, len);
  if (auto why = check_url(u, false)) return url_refused(L, why);
  Status s = client(L).check(current_process(L).pid(), std::string(u));
  return answer_status(L, s);
}

// http.websocket (the native, asynchronous one): url [, headers] or {url =,
// headers =, timeout =}.
int http_websocket(lua_State* L) {
  struct Args {
    std::string url;
    std::vector<HttpHeader> headers;
  };
  Args& a = new_boxed<Args>(L);  // a raise while converting leaks nothing
  std::optional<double> timeout;
  if (lua_type(L, 1) == LUA_TTABLE) {
    field(L, 1, "url", LUA_TSTRING, false);
    a.url = to_string(L, -1);
    if (field(L, 1, "headers", LUA_TTABLE, true) == LUA_TTABLE) read_headers(L, -1, a.headers);
    if (field(L, 1, "timeout", LUA_TNUMBER, true) == LUA_TNUMBER) timeout = lua_tonumber(L, -1);
  } else {
    std::size_t len;
    const char* u = check_string(L, 1, &len);
    a.url.assign(u, len);
    if (!lua_isnoneornil(L, 2)) {
      check_table(L, 2);
      read_headers(L, 2, a.headers);
    }
  }
  double t = check_timeout(L, timeout, client(L).config().limits.timeout);
  if (auto why = check_url(a.url, true)) return url_refused(L, why);
  Status s = client(L).websocket(current_process(L).pid(), std::move(a.url), std::move(a.headers), t);
  return answer_status(L, s);
}

int check_port(lua_State* L) {
  lua_Integer port = check_integer(L, 1);
  if (port < 1 || port > 65535) arg_error(L, 1, "port out of range");
  return static_cast<int>(port);
}

// http.addListener(port): http_request events for requests to 127.0.0.1:port.
int http_addListener(lua_State* L) {
  int port = check_port(L);
  Status s = client(L).listen(current_process(L).pid(), port);
  if (!s.ok()) return luaL_error(L, "%s", s.message());
  return 0;
}

int http_removeListener(lua_State* L) {
  int port = check_port(L);
  client(L).unlisten(current_process(L).pid(), port);
  return 0;
}

const luaL_Reg http_functions[] = {
    {"request", http_request},
    {"checkURL", http_checkURL},
    {"websocket", http_websocket},
    {"addListener", http_addListener},
    {"removeListener", http_removeListener},
    {nullptr, nullptr},
};

// ---------------------------------------------------------------- handles

const HandleRef& ref_of(lua_State* L) {
  return *static_cast<const HandleRef*>(luaL_checkudata(L, lua_upvalueindex(1), kHandleRefMeta));
}

[[noreturn]] void closed(lua_State* L) {
  luaL_error(L, "attempt to use a closed file");
  std::abort();
}

// Copies what fn picks out of the handle's body, under the client's lock;
// raises when the handle is closed. No Lua runs inside (fn is plain C++).
template <class T, class F>
T from_body(lua_State* L, F&& fn) {
  const HandleRef& ref = ref_of(L);
  int pid = current_process(L).pid();
  T out{};
  bool found = false;
  try {
    found = client(L).with_body(pid, ref.id, [&](HttpClient::Body& b) { out = fn(b); });
  } catch (const std::bad_alloc&) {
    luaL_error(L, "not enough memory");
  }
  if (!found) closed(L);
  return out;
}

using Piece = std::optional<std::string>;

int push_piece(lua_State* L, const Piece& p) {
  if (!p) return 0;
  lua_pushlstring(L, p->data(), p->size());
  return 1;
}

int b_read(lua_State* L) {
  drop_handle_self(L);
  bool byte = lua_isnoneornil(L, 1);
  lua_Integer count = opt_integer(L, 1, 1);
  if (count < 0) arg_error(L, 1, "cannot read a negative number of bytes");
  bool binary = false;
  Piece p = from_body<Piece>(L, [&](HttpClient::Body& b) -> Piece {
    binary = b.binary;
    if (b.pos >= b.data.size()) return count == 0 ? Piece("") : std::nullopt;
    std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(count), b.data.size() - b.pos);
    Piece out = b.data.substr(b.pos, n);
    b.pos += n;
    return out;
  });
  if (byte && binary && p) {  // binary read() gives a byte
    lua_pushinteger(L, static_cast<unsigned char>((*p)[0]));
    return 1;
  }
  return push_piece(L, p);
}

int b_readLine(lua_State* L) {
  drop_handle_self(L);
  bool keep = lua_toboolean(L, 1);
  Piece p = from_body<Piece>(L, [&](HttpClient::Body& b) -> Piece {
    if (b.pos >= b.data.size()) return std::nullopt;
    std::size_t end = b.data.find('\n', b.pos);
    std::size_t stop = end == std::string::npos ? b.data.size() : end;
    std::string line = b.data.substr(b.pos, stop - b.pos);
    b.pos = end == std::string::npos ? b.data.size() : end + 1;
    if (end != std::string::npos) {
      if (keep) line += '\n';
      else if (!line.empty() && line.back() == '\r') line.pop_back();  // a Windows line ending
    }
    return line;
  });
  return push_piece(L, p);
}

int b_readAll(lua_State* L) {
  Piece p = from_body<Piece>(L, [](HttpClient::Body& b) -> Piece {
    std::string rest = b.pos < b.data.size() ? b.data.substr(b.pos) : std::string();
    b.pos = b.data.size();
    return rest;
  });
  return push_piece(L, p);
}

int b_seek(lua_State* L) {
  drop_handle_self(L);
  static const char* const whences[] = {"set", "cur", "end", nullptr};
  int whence = check_option(L, 1, "cur", whences);
  lua_Integer offset = opt_integer(L, 2, 0);
  std::optional<lua_Integer> at = from_body<std::optional<lua_Integer>>(L, [&](HttpClient::Body& b) {
    lua_Integer base = whence == 0 ? 0 : whence == 1 ? static_cast<lua_Integer>(b.pos)
                                                     : static_cast<lua_Integer>(b.data.size());
    if (base + offset < 0) return std::optional<lua_Integer>();
    b.pos = static_cast<std::size_t>(base + offset);
    return std::optional<lua_Integer>(base + offset);
  });
  if (!at) {
    lua_pushnil(L);
    lua_pushliteral(L, "Position is negative");
    return 2;
  }
  lua_pushinteger(L, *at);
  return 1;
}

int b_close(lua_State* L) {
  const HandleRef& ref = ref_of(L);
  Process& self = current_process(L);
  if (!client(L).close_body(self.pid(), ref.id, self.kernel())) closed(L);
  return 0;
}

int push_headers(lua_State* L, const std::vector<HttpHeader>& headers) {
  lua_createtable(L, 0, static_cast<int>(headers.size()));
  for (const HttpHeader& h : headers) {
    // A header given twice is one entry, its values joined by commas, as CC's.
    lua_pushlstring(L, h.name.data(), h.name.size());
    if (lua_rawget(L, -2) == LUA_TSTRING) {
      lua_pushliteral(L, ",");
      lua_pushlstring(L, h.value.data(), h.value.size());
      lua_concat(L, 3);
    } else {
      lua_pop(L, 1);
      lua_pushlstring(L, h.value.data(), h.value.size());
    }
    lua_pushlstring(L, h.name.data(), h.name.size());
    lua_insert(L, -2);
    lua_rawset(L, -3);
  }
  return 1;
}

int r_getResponseCode(lua_State* L) {
  auto [code, message] = from_body<std::pair<int, std::string>>(L, [](HttpClient::Body& b) {
    return std::make_pair(b.code, b.message);
  });
  lua_pushinteger(L, code);
  lua_pushlstring(L, message.data(), message.size());
  return 2;
}

int r_getResponseHeaders(lua_State* L) {
  return push_headers(L, from_body<std::vector<HttpHeader>>(L, [](HttpClient::Body& b) { return b.headers; }));
}

int q_getURL(lua_State* L) {
  std::string url = from_body<std::string>(L, [](HttpClient::Body& b) { return b.url; });
  lua_pushlstring(L, url.data(), url.size());
  return 1;
}

int q_getMethod(lua_State* L) {
  std::string method = from_body<std::string>(L, [](HttpClient::Body& b) { return b.method; });
  lua_pushlstring(L, method.data(), method.size());
  return 1;
}

// ---- a listener's response handle: written, then sent by close()

// Runs fn on pid's answer handle under the client's lock; raises "attempt
// to use a closed file" when it is gone. Callers hold no C++ objects that
// own memory (fn captures views of Lua strings), so the raise leaks nothing.
template <class F>
void on_answer(lua_State* L, F&& fn) {
  const HandleRef& ref = ref_of(L);
  int pid = current_process(L).pid();
  bool found = false;
  try {
    found = client(L).with_answer(pid, ref.id, [&](HttpClient::Answer& a) { fn(a.response); });
  } catch (const std::bad_alloc&) {
    luaL_error(L, "not enough memory");
  }
  if (!found) closed(L);
}

int answer_write(lua_State* L, bool newline) {
  drop_handle_self(L);
  std::size_t len = 0;
  const char* text = lua_isnoneornil(L, 1) ? "" : luaL_tolstring(L, 1, &len);  // may run __tostring: first
  on_answer(L, [&](ListenerResponse& r) {
    r.body.append(text, len);
    if (newline) r.body += '\n';
  });
  return 0;
}

int a_write(lua_State* L) { return answer_write(L, false); }
int a_writeLine(lua_State* L) { return answer_write(L, true); }

int a_flush(lua_State* L) {
  on_answer(L, [](ListenerResponse&) {});
  return 0;
}

int a_setStatusCode(lua_State* L) {
  drop_handle_self(L);
  lua_Integer code = check_integer(L, 1);
  if (code < 100 || code > 999) arg_error(L, 1, "status code out of range");
  on_answer(L, [&](ListenerResponse& r) { r.code = static_cast<int>(code); });
  return 0;
}

bool has_line_break(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos; }

int a_setResponseHeader(lua_State* L) {
  drop_handle_self(L);
  std::size_t nlen, vlen;
  const char* name = check_string(L, 1, &nlen);
  const char* value = check_string(L, 2, &vlen);
  std::string_view n(name, nlen), v(value, vlen);
  if (n.empty() || has_line_break(n) || n.find_first_of(": ") != n.npos) arg_error(L, 1, "invalid header name");
  if (has_line_break(v)) arg_error(L, 2, "invalid header value");
  on_answer(L, [&](ListenerResponse& r) {
    for (HttpHeader& h : r.headers)
      if (h.name == n) {
        h.value = v;
        return;
      }
    r.headers.push_back({std::string(n), std::string(v)});
  });
  return 0;
}

int a_close(lua_State* L) {
  const HandleRef& ref = ref_of(L);
  if (!client(L).send_answer(current_process(L).pid(), ref.id)) closed(L);
  return 0;
}

// ---- websockets

int w_send(lua_State* L) {
  drop_handle_self(L);
  bool binary = lua_toboolean(L, 2);  // before luaL_tolstring pushes onto the stack
  std::size_t len = 0;
  const char* text = luaL_tolstring(L, 1, &len);  // CC sends tostring(message)
  const HandleRef& ref = ref_of(L);
  Status s = client(L).websocket_send(current_process(L).pid(), ref.id, std::string(text, len), binary);
  if (!s.ok()) return luaL_error(L, "%s", s.message());
  return 0;
}

int w_close(lua_State* L) {
  const HandleRef& ref = ref_of(L);
  client(L).websocket_close(current_process(L).pid(), ref.id);
  return 0;
}

int w_isOpen(lua_State* L) {
  const HandleRef& ref = ref_of(L);
  lua_pushboolean(L, client(L).websocket_open(current_process(L).pid(), ref.id));
  return 1;
}

struct Method {
  const char* name;
  lua_CFunction fn;
};

const Method kBodyMethods[] = {{"read", locked<b_read>}, {"readLine", locked<b_readLine>}, {"readAll", locked<b_readAll>},
                               {"seek", locked<b_seek>}, {"close", locked<b_close>}};
const Method kResponseMethods[] = {{"getResponseCode", locked<r_getResponseCode>},
                                   {"getResponseHeaders", locked<r_getResponseHeaders>}};
const Method kRequestMethods[] = {{"getURL", locked<q_getURL>}, {"getMethod", locked<q_getMethod>},
                                  {"getRequestHeaders", locked<r_getResponseHeaders>}};
const Method kAnswerMethods[] = {{"write", locked<a_write>},   {"writeLine", locked<a_writeLine>}, {"flush", locked<a_flush>},
                                 {"close", locked<a_close>},   {"setStatusCode", locked<a_setStatusCode>},
                                 {"setResponseHeader", locked<a_setResponseHeader>}};
const Method kWebsocketMethods[] = {{"send", locked<w_send>}, {"close", locked<w_close>}};

template <std::size_t N>
void add_methods(lua_State* L, int table, int ref, const Method (&methods)[N]) {
  for (const Method& m : methods) {
    lua_pushvalue(L, ref);
    lua_pushvalue(L, table);
    lua_pushcclosure(L, m.fn, 2);
    lua_setfield(L, table, m.name);
  }
}

// Pushes the handle table for (kind, id). A websocket's receive() is
// written in Lua (rom/moonbox/bios/websocket_handle.lua): it waits for
// events, as CC's does.
void push_handle(lua_State* L, Kind kind, int id, int url_index) {
  lua_createtable(L, 0, 8);
  int table = lua_gettop(L);
  auto* ref = static_cast<HandleRef*>(lua_newuserdatauv(L, sizeof(HandleRef), 0));
  *ref = HandleRef{kind, id};
  if (luaL_newmetatable(L, kHandleRefMeta)) {
    lua_pushliteral(L, "http handle");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
  int r = lua_gettop(L);
  switch (kind) {
    case Kind::Response:
      add_methods(L, table, r, kBodyMethods);
      add_methods(L, table, r, kResponseMethods);
      break;
    case Kind::Request:
      add_methods(L, table, r, kBodyMethods);
      add_methods(L, table, r, kRequestMethods);
      break;
    case Kind::Answer: add_methods(L, table, r, kAnswerMethods); break;
    case Kind::Websocket: {
      add_methods(L, table, r, kWebsocketMethods);
      push_needed_bios_chunk(L, "websocket_handle");
      lua_pushvalue(L, table);
      lua_pushvalue(L, url_index);
      lua_pushvalue(L, r);
      lua_pushvalue(L, table);
      lua_pushcclosure(L, locked<w_isOpen>, 2);
      lua_call(L, 3, 0);
      break;
    }
  }
  lua_settop(L, table);
}

// system.config.setting(name): the default the host's configuration gives
// setting `name` (pastebin.url, gist.url: where the rom's programs find
// their services), or nil.
int config_setting(lua_State* L) {
  std::size_t len;
  const char* name = check_string(L, 1, &len);
  for (const auto& [key, value] : client(L).config().services)
    if (key == std::string_view(name, len)) {
      lua_pushlstring(L, value.data(), value.size());
      return 1;
    }
  lua_pushnil(L);
  return 1;
}

const luaL_Reg config_functions[] = {
    {"setting", config_setting},
    {nullptr, nullptr},
};

}  // namespace

int open_config(lua_State* L) {
  new_module(L, config_functions);
  return 1;
}

int open_http(lua_State* L) {
  if (!current_computer(L).http().config().enabled) {  // --no-http: no http global at all
    lua_pushnil(L);
    return 1;
  }
  new_cc_module(L, http_functions);
  push_needed_bios_chunk(L, "http");
  lua_insert(L, -2);
  lua_call(L, 1, 1);  // the Lua half returns the whole API
  return 1;
}

void push_event_handles(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING) return;
  const char* name = lua_tostring(L, 1);
  if (std::strncmp(name, "http_", 5) != 0 && std::strncmp(name, "websocket_", 10) != 0) return;
  int top = lua_gettop(L);
  for (int i = 2; i <= top; i++) {
    if (lua_type(L, i) != LUA_TTABLE || lua_getmetatable(L, i)) {
      if (lua_type(L, i) == LUA_TTABLE) lua_pop(L, 1);
      continue;
    }
    lua_getfield(L, i, "moonbox_handle");
    lua_getfield(L, i, "id");
    const char* kind = lua_tostring(L, -2);
    int isnum = 0;
    lua_Integer id = lua_tointegerx(L, -1, &isnum);
    lua_pop(L, 2);
    if (!kind || !isnum || id <= 0 || id > INT32_MAX) continue;
    Kind k;
    if (std::strcmp(kind, "response") == 0) k = Kind::Response;
    else if (std::strcmp(kind, "request") == 0) k = Kind::Request;
    else if (std::strcmp(kind, "answer") == 0) k = Kind::Answer;
    else if (std::strcmp(kind, "websocket") == 0) k = Kind::Websocket;
    else continue;
    push_handle(L, k, static_cast<int>(id), 2);
    lua_replace(L, i);
  }
}

}  // namespace moonbox
