// The one hook Lua has per coroutine, shared by the kernel's preemption and
// a program's own hook (debug.sethook): installed by the preemption
// watchdog when a slice's time is up, it yields to the kernel; otherwise it
// runs the program's hook for the events the program asked for.
#include "vm/kernel/Scheduler.h"

#include <lua.hpp>

#include "vm/kernel/Kernel.h"

namespace moonbox {

namespace {

// The error object process.exit() raises where it cannot yield; pcall may
// catch it, but the hook raises it again until the process is gone.
char exit_marker;

// Takes the hook off coroutine L once preemption is done with it, or gives
// it back the program's own (debug.sethook).
void rest_hook(lua_State* L, Process& p) {
  int count = 0;
  int mask = p.program_hooks() ? p.kernel().config().program_hook_mask(L, &count) : 0;
  Scheduler::set_program_hook(p, L, mask, count);  // with the debugger's line events, if it wants them
}

// Runs the debugger's line check (it may stop the process here) and the
// program's own hook for an event it asked for.
void program_event(lua_State* L, Process& p, lua_Debug* ar) {
  Debugger& debugger = p.kernel().debugger();
  if (p.profiling()) {
    if (ar->event == LUA_HOOKCALL || ar->event == LUA_HOOKTAILCALL)
      p.profile()->call(L, ar, ar->event == LUA_HOOKTAILCALL);
    else if (ar->event == LUA_HOOKRET)
      p.profile()->ret(L, ar);
  }
  if (debugger.wants_lines()) {
    if (ar->event == LUA_HOOKLINE && Debugger::line_event(L, p, ar)) return;  // it yielded
    if (ar->event == LUA_HOOKCALL || ar->event == LUA_HOOKTAILCALL || ar->event == LUA_HOOKRET)
      debugger.call_event(L, p, ar);
  }
  if (p.program_hooks()) p.kernel().config().program_hook(L, ar);
  else if (!debugger.wants_lines() && !p.profiling())
    Scheduler::set_program_hook(p, L, 0, 0);  // inherited from a coroutine whose hook is gone (a due preemption stays)
}

}  // namespace

// Installed on the running coroutine by the Preempter when the slice's
// time is up (or the process needs the kernel at once), never before: with
// a hook, every instruction is slower. It removes itself once it has done
// its work, so that the next slice runs at full speed. A program's own hook
// is this one too, with the events the program asked for: preemption only
// adds a count of 1 until it is done.
void Scheduler::preempt_hook(lua_State* L, lua_Debug* ar) {
  Process& p = Process::from(L);
  // A resume after a hook yield at a function's first instruction.
  if (p.repeated_call(L, ar)) return;
  if (ar->event != LUA_HOOKCOUNT) {  // preemption only asks for counts
    // The count hook of this instruction yielded already: Lua still calls
    // the line hook, which must not touch the yielding coroutine.
    if (lua_status(L) == LUA_YIELD) return;
    program_event(L, p, ar);
    return;
  }
  // Other workers set these under the kernel lock while p runs.
  KernelLock& lock = p.kernel().lock();
  lock.enter();
  bool closing = p.closing(), attention = p.needs_attention(), exit_pending = p.exit_pending();
  lock.leave();
  if (closing) luaL_error(L, "process is exiting");
  if (!attention && p.kernel().now() < p.slice_deadline()) {
    rest_hook(L, p);  // left over from an earlier slice, or the program's count
    if (p.program_hooks()) program_event(L, p, ar);
    return;
  }
  if (lua_isyieldable(L)) {
    rest_hook(L, p);
    p.note_hook_yield(L, ar);
    p.mark_kernel_yield();
    p.mark_preempted();  // read by its worker once the slice is over
    lua_yield(L, 0);  // a hook yield: must be the hook's last call
    return;
  }
  // Inside table.sort, gsub callbacks, metamethods...: no yield is possible;
  // keep looking, less often, until the code below can yield or the limit
  // below is reached.
  lua_sethook(L, preempt_hook, lua_gethookmask(L) | LUA_MASKCOUNT, p.kernel().config().hook_count);
  if (exit_pending) {
    lua_pushlightuserdata(L, &exit_marker);
    lua_error(L);
  }
  // The budget there is wall time since the process was last resumed.
  if (p.too_long_without_yielding()) luaL_error(L, "too long without yielding");
}

void Scheduler::install_hook(lua_State* L, int count) { lua_sethook(L, preempt_hook, LUA_MASKCOUNT, count); }

void Scheduler::set_program_hook(Process& p, lua_State* L, int mask, int count) {
  // Breakpoints and steps: calls and returns, and the lines of the function
  // running now when its file has a breakpoint.
  Debugger& debugger = p.kernel().debugger();
  mask |= debugger.mask_for(p);
  if (debugger.wants_lines() && debugger.lines_here(L, p)) mask |= LUA_MASKLINE;
  if (!(mask & LUA_MASKCALL)) p.forget_hook_yield(L);
  if (p.preempter_) p.preempter_->set_hook(L, preempt_hook, mask, count);
  else lua_sethook(L, mask ? preempt_hook : nullptr, mask, count);
}

// The debugger wants line events (a breakpoint is set, a process steps):
// the coroutine about to run gets them too, once, keeping its program hook
// and its count.
void Scheduler::ensure_line_hook(Process& p, lua_State* co) {
  int wanted = kernel_.debugger().mask_for(p);
  if (!wanted || (lua_gethookmask(co) & wanted) == wanted) return;
  if (lua_gethook(co) && lua_gethook(co) != preempt_hook) return;  // not ours to change
  int count = 0;
  int mask = p.program_hooks() ? kernel_.config().program_hook_mask(co, &count) : 0;
  set_program_hook(p, co, mask | (lua_gethookmask(co) & LUA_MASKCOUNT), count ? count : lua_gethookcount(co));
}

}  // namespace moonbox
