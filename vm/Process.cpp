#include "vm/Process.h"

#include <lua.hpp>

namespace moonbox {

const char* proc_state_name(ProcState s) {
  switch (s) {
    case ProcState::Ready: return "ready";
    case ProcState::Running: return "running";
    case ProcState::Blocked: return "blocked";
    case ProcState::Stopped: return "stopped";
    case ProcState::Zombie: return "zombie";
  }
  return "?";
}

Process::Process(Kernel& k, int id, int parent, std::string n, std::string u)
    : kernel(k), pid(id), ppid(parent), name(std::move(n)), user(std::move(u)) {
  for (int& h : handlers) h = LUA_NOREF;
}

Process::~Process() {
  if (L) {
    closing = true;
    lua_close(L);
  }
}

void* Process::lua_extraspace(lua_State* L) { return lua_getextraspace(L); }

bool Process::has_handler(int sig) const { return sig > 0 && sig < 32 && handlers[sig] != LUA_NOREF; }

int Process::next_deliverable() const {
  SignalSet ready = pending & ~in_handler;
  for (int sig = 1; sig < 32; sig++)
    if (ready & signal_bit(sig)) return sig;
  return 0;
}

}  // namespace moonbox
