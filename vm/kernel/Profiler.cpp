#include "vm/kernel/Profiler.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

#include <lua.hpp>

namespace moonbox {

namespace {
double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Profile::Profile() : began_(steady_seconds()), paused_at_(began_) {}

void Profile::slice_began() {
  if (in_slice_) return;
  outside_ += steady_seconds() - paused_at_;
  in_slice_ = true;
}

void Profile::slice_ended() {
  if (!in_slice_) return;
  paused_at_ = steady_seconds();
  in_slice_ = false;
}

double Profile::elapsed() const { return (in_slice_ ? steady_seconds() : paused_at_) - began_ - outside_; }

// The frame on top returns now: its times go to its function, and its total
// to its caller's children.
void Profile::finish_top(std::vector<ProfileFrame>& stack, double now) {
  ProfileFrame f = stack.back();
  stack.pop_back();
  double total = now - f.start;
  ProfileRow& row = functions_[f.function];
  // A recursive function's total is its outermost call's: the inner ones
  // are inside it already.
  if (--active_[f.function] == 0) row.total += total;
  row.self += std::max(0.0, total - f.children);
  if (!stack.empty()) stack.back().children += total;
}

void Profile::call(lua_State* L, lua_Debug* ar, bool tail) {
  double now = elapsed();
  std::vector<ProfileFrame>& stack = stacks_[L];
  // A tail call replaces its caller's frame, which gets no return event.
  if (tail && !stack.empty()) finish_top(stack, now);
  if (!lua_getinfo(L, "f", ar)) return;
  const void* fn = lua_topointer(L, -1);
  lua_pop(L, 1);
  auto [it, fresh] = functions_.try_emplace(fn);
  if (fresh && lua_getinfo(L, "nS", ar)) {
    ProfileRow& row = it->second;
    row.function = ar->name ? ar->name : (ar->what && ar->what[0] == 'm' ? "main chunk" : "?");
    row.source = ar->source && ar->source[0] == '@' ? ar->source + 1 : (ar->what && ar->what[0] == 'C' ? "[C]" : ar->short_src);
    row.line = std::max(0, ar->linedefined);
  }
  it->second.calls++;
  active_[fn]++;
  stack.push_back({fn, now, 0});
}

void Profile::ret(lua_State* L, lua_Debug* ar) {
  auto it = stacks_.find(L);
  if (it == stacks_.end() || it->second.empty()) return;  // called before the profile began
  std::vector<ProfileFrame>& stack = it->second;
  if (!lua_getinfo(L, "f", ar)) return;
  const void* fn = lua_topointer(L, -1);
  lua_pop(L, 1);
  // Frames above the returning function's lost their return (an error
  // unwound them): they end here too. A function not on the stack was
  // called before the profile began.
  auto match = std::find_if(stack.rbegin(), stack.rend(), [fn](const ProfileFrame& f) { return f.function == fn; });
  if (match == stack.rend()) return;
  double now = elapsed();
  for (auto n = match - stack.rbegin() + 1; n > 0; n--) finish_top(stack, now);
}

std::vector<ProfileRow> Profile::rows() const {
  // Closures of one function (one source and line) are one row; C
  // functions are told apart by name. Calls still running count up to now.
  std::map<std::tuple<std::string, int, std::string>, ProfileRow> merged;
  std::unordered_map<const void*, double> running;  // total so far of frames not yet returned (outermost)
  double now = elapsed();
  for (const auto& [co, stack] : stacks_) {
    std::unordered_map<const void*, bool> seen;
    for (const ProfileFrame& f : stack)  // outermost first
      if (!seen[f.function]) {
        seen[f.function] = true;
        running[f.function] = std::max(running[f.function], now - f.start);
      }
  }
  for (const auto& [fn, row] : functions_) {
    ProfileRow& m = merged[{row.source, row.line, row.line > 0 ? std::string() : row.function}];
    if (m.calls == 0 && m.function.empty()) {
      m.function = row.function;
      m.source = row.source;
      m.line = row.line;
    } else if (m.function == "?" && row.function != "?") {
      m.function = row.function;
    }
    m.calls += row.calls;
    m.self += row.self;
    m.total += row.total;
    if (auto r = running.find(fn); r != running.end()) m.total += r->second;
  }
  std::vector<ProfileRow> out;
  out.reserve(merged.size());
  for (auto& [key, row] : merged) out.push_back(std::move(row));
  std::sort(out.begin(), out.end(), [](const ProfileRow& a, const ProfileRow& b) {
    return a.self != b.self ? a.self > b.self : a.calls > b.calls;
  });
  return out;
}

}  // namespace moonbox
