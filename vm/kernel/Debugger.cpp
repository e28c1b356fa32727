#include "vm/kernel/Debugger.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <lua.hpp>

#include "vm/kernel/Kernel.h"

namespace moonbox {

namespace {

// References: scopes are small numbers (1 + level * 3 + kind); an expanded
// table is kTableBase + its place in the stop's kept list.
constexpr int kTableBase = 1000000;
constexpr int kMaxListed = 1000;          // entries of one table shown
constexpr int kEvalInstructions = 10000000;  // an expression that runs longer is stopped

// The hook of an evaluation's thread: a runaway expression ends with an error.
void eval_guard(lua_State* L, lua_Debug*) { luaL_error(L, "the expression ran for too long"); }

// A new thread of p's state for the debugger's own calls, with the guard as
// its only hook (a thread inherits its creator's: the line hook).
lua_State* eval_thread(lua_State* owner) {
  lua_State* E = lua_newthread(owner);
  lua_sethook(E, eval_guard, LUA_MASKCOUNT, kEvalInstructions);
  return E;
}

std::string render_number(lua_State* L, int idx) {
  char buf[64];
  if (lua_isinteger(L, idx)) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(lua_tointeger(L, idx)));
  else std::snprintf(buf, sizeof buf, "%.14g", lua_tonumber(L, idx));
  return buf;
}

// A value as a debugger shows it, without running any metamethod.
std::string render(lua_State* L, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return lua_toboolean(L, idx) ? "true" : "false";
    case LUA_TNUMBER: return render_number(L, idx);
    case LUA_TSTRING: {
      std::size_t len;
      const char* s = lua_tolstring(L, idx, &len);
      std::string out = "\"";
      for (std::size_t i = 0; i < len && i < 400; i++) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c == '\n') out += "\\n";
        else if (c < 32 || c == 127) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\%u", c);
          out += esc;
        } else out += static_cast<char>(c);
      }
      if (len > 400) out += "...";
      return out + "\"";
    }
    default: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s: %p", luaL_typename(L, idx), lua_topointer(L, idx));
      return buf;
    }
  }
}

// The depth of L's stack (its number of levels).
int depth_of(lua_State* L) {
  lua_Debug ar;
  int n = 0;
  while (lua_getstack(L, n, &ar)) n++;
  return n;
}

bool finished(lua_State* co) {
  lua_Debug ar;
  return co == nullptr || !lua_getstack(co, 0, &ar);
}

// Pushes onto E a table of what frame `level` of `target` sees: its
// upvalues, then its locals (later ones shadow earlier ones), whose
// metatable's __index is its _ENV (or the globals). target may be E itself
// (a condition evaluated inside the hook): values are moved, never copied.
void push_scope_env(lua_State* E, lua_State* target, int level, int snapshot = LUA_NOREF) {
  lua_newtable(E);
  int env = lua_gettop(E);
  lua_Debug ar;
  bool has_frame = level >= 0 && lua_getstack(target, level, &ar);
  bool has_env = false;
  if (has_frame && lua_getinfo(target, "f", &ar)) {
    lua_xmove(target, E, 1);
    int fn = lua_gettop(E);
    for (int i = 1;; i++) {
      const char* name = lua_getupvalue(E, fn, i);
      if (!name) break;
      if (std::strcmp(name, "_ENV") == 0) {
        lua_createtable(E, 0, 1);
        lua_insert(E, -2);
        lua_setfield(E, -2, "__index");
        lua_setmetatable(E, env);
        has_env = true;
      } else {
        lua_setfield(E, env, name);
      }
    }
    lua_pop(E, 1);
    for (int i = 1;; i++) {
      const char* name = lua_getlocal(target, &ar, i);
      if (!name) break;
      lua_xmove(target, E, 1);
      if (name[0] == '(') lua_pop(E, 1);  // a temporary
      else lua_setfield(E, env, name);
    }
  }
  if (level == 0 && snapshot != LUA_NOREF) {  // the line hook's view of the top frame
    lua_rawgeti(E, LUA_REGISTRYINDEX, snapshot);
    int snap = lua_gettop(E);
    for (lua_Integer i = 1; lua_rawgeti(E, snap, i) == LUA_TTABLE; i++) {
      lua_rawgeti(E, -1, 1);
      lua_rawgeti(E, -2, 2);
      lua_setfield(E, env, lua_tostring(E, -2));
      lua_pop(E, 2);
    }
    lua_pop(E, 2);
  }
  if (!has_env) {
    lua_createtable(E, 0, 1);
    lua_rawgeti(E, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_setfield(E, -2, "__index");
    lua_setmetatable(E, env);
  }
}

// Compiles expression (as "return EXPR", else as a statement) with env as
// its _ENV: pushes the function, or raises the compile error.
void push_compiled(lua_State* E, const char* expression, int env) {
  std::string as_value = std::string("return ") + expression;
  if (luaL_loadbufferx(E, as_value.data(), as_value.size(), "=(watch)", "t") != LUA_OK) {
    lua_pop(E, 1);
    if (luaL_loadbufferx(E, expression, std::strlen(expression), "=(watch)", "t") != LUA_OK) lua_error(E);
  }
  lua_pushvalue(E, env);
  lua_setupvalue(E, -2, 1);
}

}  // namespace

// ---------------------------------------------------------------- breakpoints

bool Debugger::matches_source(const std::string& source, const char* chunk) {
  if (!chunk || (chunk[0] != '@' && chunk[0] != '=')) return false;
  std::string_view c(chunk + 1), s(source);
  auto ends_with = [](std::string_view a, std::string_view b) {
    return a.size() >= b.size() && a.substr(a.size() - b.size()) == b &&
           (a.size() == b.size() || a[a.size() - b.size() - 1] == '/' || b.front() == '/');
  };
  return !s.empty() && !c.empty() && (ends_with(s, c) || ends_with(c, s));
}

void Debugger::update_count() {
  generation_.fetch_add(1, std::memory_order_relaxed);
  int stepping = 0;
  for (const auto& [pid, p] : kernel_.processes())
    if (p->alive() && p->step_ != StepMode::None) stepping++;
  std::lock_guard lock(mutex_);
  count_.store(static_cast<int>(breakpoints_.size()) + stepping, std::memory_order_relaxed);
}

int Debugger::add_breakpoint(Breakpoint b) {
  int id;
  {
    std::lock_guard lock(mutex_);
    b.id = id = next_id_++;
    breakpoints_.push_back(std::move(b));
    hits_.push_back(0);
  }
  update_count();
  return id;
}

bool Debugger::remove_breakpoint(int id) {
  bool found = false;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < breakpoints_.size(); i++)
      if (breakpoints_[i].id == id) {
        breakpoints_.erase(breakpoints_.begin() + static_cast<std::ptrdiff_t>(i));
        hits_.erase(hits_.begin() + static_cast<std::ptrdiff_t>(i));
        found = true;
        break;
      }
  }
  update_count();
  return found;
}

std::vector<int> Debugger::set_source_breakpoints(const std::string& source, std::vector<Breakpoint> bps) {
  std::vector<int> ids;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = breakpoints_.size(); i-- > 0;)
      if (breakpoints_[i].source == source) {
        breakpoints_.erase(breakpoints_.begin() + static_cast<std::ptrdiff_t>(i));
        hits_.erase(hits_.begin() + static_cast<std::ptrdiff_t>(i));
      }
    for (Breakpoint& b : bps) {
      b.source = source;
      b.id = next_id_++;
      ids.push_back(b.id);
      breakpoints_.push_back(std::move(b));
      hits_.push_back(0);
    }
  }
  update_count();
  return ids;
}

std::vector<Breakpoint> Debugger::breakpoints() const {
  std::lock_guard lock(mutex_);
  return breakpoints_;
}

int Debugger::mask_for(const Process& p) const {
  int profiling = p.profiling_ ? LUA_MASKCALL | LUA_MASKRET : 0;
  if (!wants_lines()) return profiling;
  if (p.step_ != StepMode::None) return LUA_MASKLINE | profiling;
  return LUA_MASKCALL | LUA_MASKRET;
}

void Debugger::set_profiling(Process& p, bool on) {
  if (on && !p.profiling_) p.profile_ = std::make_unique<Profile>();
  p.profiling_ = on;
  // The hook follows at its next slice (Scheduler::ensure_line_hook); off,
  // the hook takes itself away at its next event (Hooks.cpp).
}

bool Debugger::profiling(const Process& p) const { return p.profiling_; }

std::vector<ProfileRow> Debugger::profile(const Process& p) const {
  return p.profile_ ? p.profile_->rows() : std::vector<ProfileRow>{};
}

double Debugger::profile_seconds(const Process& p) const { return p.profile_ ? p.profile_->elapsed() : 0.0; }

bool Debugger::lines_here(lua_State* L, Process& p, int level) {
  if (!wants_lines()) return false;
  if (p.step_ != StepMode::None) return true;
  lua_Debug ar;
  if (!lua_getstack(L, level, &ar) || !lua_getinfo(L, "S", &ar)) return false;
  if (ar.what[0] == 'C') return false;
  std::uint64_t gen = generation_.load(std::memory_order_relaxed);
  if (p.bp_generation_ != gen) {
    p.bp_sources_.clear();
    p.bp_generation_ = gen;
  }
  for (const auto& [source, has] : p.bp_sources_)
    if (source == ar.source) return has;
  bool has = false;
  {
    std::lock_guard lock(mutex_);
    for (const Breakpoint& b : breakpoints_)
      if (matches_source(b.source, ar.source) && (b.user.empty() || b.user == p.user())) has = true;
  }
  if (p.bp_sources_.size() < 256) p.bp_sources_.emplace_back(ar.source, has);
  return has;
}

void Debugger::call_event(lua_State* L, Process& p, lua_Debug* ar) {
  // On a return, the function that goes on is the caller (level 1).
  bool on = lines_here(L, p, ar->event == LUA_HOOKRET ? 1 : 0);
  int mask = lua_gethookmask(L);
  int wanted = on ? mask | LUA_MASKLINE : mask & ~LUA_MASKLINE;
  if (wanted != mask) lua_sethook(L, lua_gethook(L), wanted, lua_gethookcount(L));
}

// ---------------------------------------------------------------- the hook

namespace {

bool hit_condition_met(const std::string& cond, int hits) {
  if (cond.empty()) return true;
  std::string op;
  std::size_t i = 0;
  while (i < cond.size() && (cond[i] == ' ' || std::strchr("<>=%", cond[i]))) {
    if (cond[i] != ' ') op += cond[i];
    i++;
  }
  int n = std::atoi(cond.c_str() + i);
  if (op.empty() || op == "==") return hits == n;
  if (op == ">=") return hits >= n;
  if (op == ">") return hits > n;
  if (op == "<") return hits < n;
  if (op == "<=") return hits <= n;
  if (op == "%") return n > 0 && hits % n == 0;
  return hits == n;
}

struct ConditionCall {
  lua_State* target;
  const char* expression;
  bool result = false;
};

int condition_fn(lua_State* E) {
  auto* c = static_cast<ConditionCall*>(lua_touserdata(E, 1));
  push_scope_env(E, c->target, 0);
  push_compiled(E, c->expression, lua_gettop(E));
  lua_call(E, 0, 1);
  c->result = lua_toboolean(E, -1);
  return 0;
}

}  // namespace

bool Debugger::test_condition(lua_State* L, const Breakpoint& b, int) {
  if (b.condition.empty()) return true;
  if (!lua_checkstack(L, 4)) return false;
  // On a thread of its own, protected: an error or a runaway condition
  // never reaches the program (a failing condition does not break).
  lua_State* E = eval_thread(L);
  ConditionCall call{L, b.condition.c_str()};
  lua_pushcfunction(E, condition_fn);
  lua_pushlightuserdata(E, &call);
  bool ok = lua_pcall(E, 1, 0, 0) == LUA_OK;
  lua_pop(L, 1);  // the thread
  return ok && call.result;
}

bool Debugger::should_break(lua_State* L, Process& p, lua_Debug* ar, std::string* reason) {
  switch (p.step_) {
    case StepMode::Pause:
    case StepMode::In:
      *reason = p.step_ == StepMode::Pause ? "pause" : "step";
      return true;
    case StepMode::Over:
      if ((L == p.step_co_ && depth_of(L) <= p.step_depth_) || (L != p.step_co_ && finished(p.step_co_))) {
        *reason = "step";
        return true;
      }
      break;
    case StepMode::Out:
      if ((L == p.step_co_ && depth_of(L) < p.step_depth_) || (L != p.step_co_ && finished(p.step_co_))) {
        *reason = "step";
        return true;
      }
      break;
    case StepMode::None: break;
  }
  // Breakpoints: the line first (cheap), then the chunk's name.
  std::vector<std::size_t> candidates;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < breakpoints_.size(); i++)
      if (breakpoints_[i].line == ar->currentline) candidates.push_back(i);
  }
  if (candidates.empty() || !lua_getinfo(L, "S", ar)) return false;
  for (std::size_t i : candidates) {
    Breakpoint b;
    int hits = 0;
    {
      std::lock_guard lock(mutex_);
      if (i >= breakpoints_.size() || !matches_source(breakpoints_[i].source, ar->source)) continue;
      if (!breakpoints_[i].user.empty() && breakpoints_[i].user != p.user()) continue;
      b = breakpoints_[i];
    }
    if (!test_condition(L, b, 0)) continue;
    {
      std::lock_guard lock(mutex_);
      for (std::size_t k = 0; k < breakpoints_.size(); k++)
        if (breakpoints_[k].id == b.id) hits = ++hits_[k];
    }
    if (!hit_condition_met(b.hit_condition, hits)) continue;
    *reason = "breakpoint";
    return true;
  }
  return false;
}

namespace {

// {{name, value}, ...}: the locals (and varargs, named "...[i]") of frame
// 0 of L, as they are now.
int snapshot_fn(lua_State* L) {
  auto* target = static_cast<lua_State*>(lua_touserdata(L, 1));
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_Debug ar;
  if (!lua_getstack(target, 1, &ar)) return 1;  // level 0 is this C function when target == L
  int n = 0;
  for (int i = 1;; i++) {
    const char* name = lua_getlocal(target, &ar, i);
    if (!name) break;
    if (name[0] == '(') {
      lua_pop(target, 1);
      continue;
    }
    lua_createtable(L, 2, 0);
    lua_pushstring(L, name);
    lua_rawseti(L, -2, 1);
    lua_rotate(L, -2, 1);  // the value above the pair
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, out, ++n);
  }
  return 1;
}

}  // namespace

bool Debugger::line_event(lua_State* L, Process& p, lua_Debug* ar) {
  Debugger& d = p.kernel().debugger();
  std::string reason;
  if (!d.should_break(L, p, ar, &reason)) return false;
  // Inside a metamethod or a sort's comparison the process cannot stop:
  // it stops at the next line that can.
  if (!lua_isyieldable(L)) return false;
  // The frame's locals now, while Lua still sees this line.
  int snapshot = LUA_NOREF;
  if (lua_checkstack(L, 4)) {
    lua_pushcfunction(L, snapshot_fn);
    lua_pushlightuserdata(L, L);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK) snapshot = luaL_ref(L, LUA_REGISTRYINDEX);
    else lua_pop(L, 1);
  }
  KernelLock& lock = p.kernel().lock();
  lock.enter();
  p.step_ = StepMode::None;
  p.stopped_co_ = L;
  p.stop_reason_ = reason;
  p.stop_line_ = ar->currentline;
  if (p.snapshot_ref_ != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, p.snapshot_ref_);
  p.snapshot_ref_ = snapshot;
  p.stop_requested_ = true;
  p.at_breakpoint_ = true;
  p.stop_signal_ = kSigTRAP;
  d.update_count();
  lock.leave();
  p.note_hook_yield(L, ar);
  p.mark_kernel_yield();
  lua_yield(L, 0);  // a hook yield: the hook's last call
  return true;
}

// ---------------------------------------------------------------- control

bool Debugger::pause(Process& p) {
  if (!p.alive() || p.state_ == ProcState::Stopped) return false;
  p.stop_reason_ = "pause";
  p.stopped_co_ = nullptr;  // where it is when it stops (Kernel::stop_process)
  p.stop_line_ = 0;
  return kernel_.kill(0, p.pid(), kSigTRAP).ok();
}

bool Debugger::resume(Process& p, StepMode mode) {
  if (!p.alive() || p.state_ != ProcState::Stopped) return false;
  p.step_ = mode;  // (what the debugger held of the stop goes with it: Kernel::continue_process)
  if (mode != StepMode::None) {
    p.step_co_ = p.stopped_co_ ? p.stopped_co_ : (p.frames_.empty() ? nullptr : p.frames_.back().co);
    p.step_depth_ = p.step_co_ ? depth_of(p.step_co_) : 0;
  }
  update_count();
  return kernel_.kill(0, p.pid(), kSigCONT).ok();
}

void Debugger::forget(Process& p) {
  p.step_ = StepMode::None;
  p.stopped_co_ = nullptr;
  update_count();
}

// ---------------------------------------------------------------- inspection

lua_State* Debugger::stopped_coroutine(Process& p) {
  if (!p.alive() || p.state_ != ProcState::Stopped || !p.L_) return nullptr;
  if (p.stopped_co_) return p.stopped_co_;
  return p.frames_.empty() ? nullptr : p.frames_.back().co;
}

std::vector<StackFrame> Debugger::stack(Process& p, int max_frames) {
  std::vector<StackFrame> out;
  lua_State* co = stopped_coroutine(p);
  if (!co) return out;
  lua_Debug ar;
  for (int level = 0; level < max_frames && lua_getstack(co, level, &ar); level++) {
    if (!lua_getinfo(co, "Sln", &ar)) continue;
    StackFrame f;
    f.level = level;
    f.function = ar.name ? ar.name : (std::strcmp(ar.what, "main") == 0 ? "main chunk" : "?");
    f.source = ar.source[0] == '@' ? std::string(ar.source + 1) : std::string(ar.source);
    // Stopped by the line hook: Lua reports the instruction before the
    // line the hook was called for.
    f.line = level == 0 && p.stop_line_ > 0 ? p.stop_line_ : ar.currentline;
    out.push_back(std::move(f));
  }
  return out;
}

Debugger::Scopes Debugger::scopes(Process&, int level) {
  return Scopes{1 + level * 3, 2 + level * 3, 3 + level * 3};
}

int Debugger::keep_table(Process& p, int index) {
  lua_State* L = p.L_;
  index = lua_absindex(L, index);
  if (p.kept_ref_ == LUA_NOREF) {
    lua_newtable(L);
    p.kept_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, p.kept_ref_);
  auto n = static_cast<int>(lua_rawlen(L, -1));
  lua_pushvalue(L, index);
  lua_rawseti(L, -2, n + 1);
  lua_pop(L, 1);
  return kTableBase + n + 1;
}

void Debugger::clear_kept(Process& p) {
  if (!p.L_) return;
  if (p.kept_ref_ != LUA_NOREF) luaL_unref(p.L_, LUA_REGISTRYINDEX, p.kept_ref_);
  if (p.snapshot_ref_ != LUA_NOREF) luaL_unref(p.L_, LUA_REGISTRYINDEX, p.snapshot_ref_);
  p.kept_ref_ = p.snapshot_ref_ = LUA_NOREF;
}

namespace {

// What a protected inspection call works on.
struct Inspect {
  Debugger* debugger;
  Process* p;
  lua_State* co;
  int reference;
  std::vector<Variable>* out;
  int (*keep)(Debugger*, Process*, lua_State*, int);
};

Variable variable_of(Inspect& in, lua_State* E, const std::string& name, int idx) {
  Variable v;
  v.name = name;
  v.type = luaL_typename(E, idx);
  v.value = render(E, idx);
  if (lua_type(E, idx) == LUA_TTABLE) v.reference = in.keep(in.debugger, in.p, E, idx);
  return v;
}

int list_variables(lua_State* E) {
  auto& in = *static_cast<Inspect*>(lua_touserdata(E, 1));
  lua_Debug ar;
  if (in.reference >= kTableBase) {
    lua_rawgeti(E, LUA_REGISTRYINDEX, in.p->kept_table_ref());
    lua_rawgeti(E, -1, in.reference - kTableBase);
    int t = lua_gettop(E);
    if (lua_type(E, t) != LUA_TTABLE) return 0;
    lua_pushnil(E);
    int n = 0;
    while (lua_next(E, t) && n++ < kMaxListed) {
      std::string key = lua_type(E, -2) == LUA_TSTRING ? lua_tostring(E, -2) : std::string("[").append(render(E, -2)).append("]");
      in.out->push_back(variable_of(in, E, key, lua_gettop(E)));
      lua_pop(E, 1);
    }
    return 0;
  }
  int level = (in.reference - 1) / 3, kind = (in.reference - 1) % 3;
  if (!lua_getstack(in.co, level, &ar)) return 0;
  if (kind == 0 && level == 0 && in.p->snapshot_ref() != LUA_NOREF) {  // the line hook's view
    lua_rawgeti(E, LUA_REGISTRYINDEX, in.p->snapshot_ref());
    int snap = lua_gettop(E);
    for (lua_Integer i = 1; lua_rawgeti(E, snap, i) == LUA_TTABLE; i++) {
      lua_rawgeti(E, -1, 1);
      lua_rawgeti(E, -2, 2);
      in.out->push_back(variable_of(in, E, lua_tostring(E, -2), lua_gettop(E)));
      lua_pop(E, 3);
    }
    lua_pop(E, 1);
  }
  if (kind == 0) {  // locals, then varargs
    for (int i = 1; !(level == 0 && in.p->snapshot_ref() != LUA_NOREF); i++) {
      const char* name = lua_getlocal(in.co, &ar, i);
      if (!name) break;
      lua_xmove(in.co, E, 1);
      if (name[0] != '(') in.out->push_back(variable_of(in, E, name, lua_gettop(E)));
      lua_pop(E, 1);
    }
    for (int i = -1;; i--) {
      const char* name = lua_getlocal(in.co, &ar, i);
      if (!name) break;
      lua_xmove(in.co, E, 1);
      in.out->push_back(variable_of(in, E, std::string("...[").append(std::to_string(-i)).append("]"), lua_gettop(E)));
      lua_pop(E, 1);
    }
    return 0;
  }
  if (!lua_getinfo(in.co, "f", &ar)) return 0;
  lua_xmove(in.co, E, 1);
  int fn = lua_gettop(E);
  if (kind == 1) {
    for (int i = 1;; i++) {
      const char* name = lua_getupvalue(E, fn, i);
      if (!name) break;
      in.out->push_back(variable_of(in, E, *name ? name : "?", lua_gettop(E)));
      lua_pop(E, 1);
    }
    return 0;
  }
  // globals: the frame's _ENV, else the state's globals
  bool found = false;
  for (int i = 1;; i++) {
    const char* name = lua_getupvalue(E, fn, i);
    if (!name) break;
    if (std::strcmp(name, "_ENV") == 0 && lua_istable(E, -1)) {
      found = true;
      break;
    }
    lua_pop(E, 1);
  }
  if (!found) lua_rawgeti(E, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  int t = lua_gettop(E);
  lua_pushnil(E);
  int n = 0;
  while (lua_next(E, t) && n++ < kMaxListed) {
    if (lua_type(E, -2) == LUA_TSTRING) in.out->push_back(variable_of(in, E, lua_tostring(E, -2), lua_gettop(E)));
    lua_pop(E, 1);
  }
  return 0;
}

struct EvalCall {
  Inspect in;
  int level;
  const char* expression;
  Debugger::Evaluation* result;
  const char* set_name = nullptr;  // set_variable: the local or upvalue to set
  bool upvalue = false;
};

int evaluate_fn(lua_State* E) {
  auto& c = *static_cast<EvalCall*>(lua_touserdata(E, 1));
  push_scope_env(E, c.in.co, c.level, c.in.p->snapshot_ref());
  push_compiled(E, c.expression, lua_gettop(E));
  lua_call(E, 0, 1);
  int value = lua_gettop(E);
  if (c.set_name) {
    lua_Debug ar;
    if (!lua_getstack(c.in.co, c.level, &ar)) luaL_error(E, "no such frame");
    bool done = false;
    if (!c.upvalue) {
      int found = 0;
      for (int i = 1;; i++) {  // the last active local with that name
        const char* name = lua_getlocal(c.in.co, &ar, i);
        if (!name) break;
        lua_pop(c.in.co, 1);
        if (std::strcmp(name, c.set_name) == 0) found = i;
      }
      if (found) {
        lua_pushvalue(E, value);
        lua_xmove(E, c.in.co, 1);
        lua_setlocal(c.in.co, &ar, found);
        done = true;
      }
      int snapshot = c.in.p->snapshot_ref();
      if (c.level == 0 && snapshot != LUA_NOREF) {  // what the debugger shows of the top frame
        lua_rawgeti(E, LUA_REGISTRYINDEX, snapshot);
        int snap = lua_gettop(E);
        for (lua_Integer i = 1; lua_rawgeti(E, snap, i) == LUA_TTABLE; i++) {
          lua_rawgeti(E, -1, 1);
          if (done && std::strcmp(lua_tostring(E, -1), c.set_name) == 0) {
            lua_pushvalue(E, value);
            lua_rawseti(E, -3, 2);
          }
          lua_pop(E, 2);
        }
        lua_pop(E, 2);
      }
    } else if (lua_getinfo(c.in.co, "f", &ar)) {
      lua_xmove(c.in.co, E, 1);
      int fn = lua_gettop(E);
      for (int i = 1;; i++) {
        const char* name = lua_getupvalue(E, fn, i);
        if (!name) break;
        lua_pop(E, 1);
        if (std::strcmp(name, c.set_name) == 0) {
          lua_pushvalue(E, value);
          lua_setupvalue(E, fn, i);
          done = true;
          break;
        }
      }
    }
    if (!done) luaL_error(E, "no variable named %s here", c.set_name);
  }
  c.result->value = variable_of(c.in, E, "", value);
  c.result->ok = true;
  return 0;
}

// Runs evaluate_fn for c on a thread of p's state (at the top of p's main
// thread meanwhile), protected: the result, or the error as the result's.
void run_evaluation(Process& p, EvalCall& c) {
  lua_State* E = eval_thread(p.main_thread());
  lua_pushcfunction(E, evaluate_fn);
  lua_pushlightuserdata(E, &c);
  if (lua_pcall(E, 1, 0, 0) != LUA_OK) {
    c.result->ok = false;
    c.result->error = lua_isstring(E, -1) ? lua_tostring(E, -1) : "error";
  }
  lua_pop(p.main_thread(), 1);  // the thread
}

int keep_from(Debugger* d, Process* p, lua_State* E, int idx) {
  lua_pushvalue(E, idx);
  lua_xmove(E, p->main_thread(), 1);
  int ref = d->keep_kept(*p);
  return ref;
}

}  // namespace

int Debugger::keep_kept(Process& p) {
  int ref = keep_table(p, -1);
  lua_pop(p.L_, 1);
  return ref;
}

std::vector<Variable> Debugger::variables(Process& p, int reference) {
  std::vector<Variable> out;
  lua_State* co = stopped_coroutine(p);
  if (!co || reference <= 0 || !lua_checkstack(p.L_, 8)) return out;
  lua_State* E = eval_thread(p.L_);
  Inspect in{this, &p, co, reference, &out, keep_from};
  lua_pushcfunction(E, list_variables);
  lua_pushlightuserdata(E, &in);
  lua_pcall(E, 1, 0, 0);
  lua_pop(p.L_, 1);  // the thread
  return out;
}

Debugger::Evaluation Debugger::evaluate(Process& p, int level, const std::string& expression) {
  Evaluation r;
  lua_State* co = stopped_coroutine(p);
  if (!co || !lua_checkstack(p.L_, 8)) {
    r.error = "the process is not stopped";
    return r;
  }
  EvalCall c{{this, &p, co, 0, nullptr, keep_from}, level, expression.c_str(), &r};
  run_evaluation(p, c);
  return r;
}

Debugger::Evaluation Debugger::set_variable(Process& p, int scope_reference, const std::string& name,
                                            const std::string& expression) {
  Evaluation r;
  lua_State* co = stopped_coroutine(p);
  int kind = (scope_reference - 1) % 3;
  if (!co || scope_reference <= 0 || scope_reference >= kTableBase || kind == 2 || !lua_checkstack(p.L_, 8)) {
    r.error = "only a stopped frame's locals and upvalues can be set";
    return r;
  }
  EvalCall c{{this, &p, co, 0, nullptr, keep_from}, (scope_reference - 1) / 3, expression.c_str(), &r,
             name.c_str(), kind == 1};
  run_evaluation(p, c);
  return r;
}

}  // namespace moonbox
