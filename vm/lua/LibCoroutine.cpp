// coroutine.resume and coroutine.wrap that see through kernel yields.
//
// Lua copies the preemption hook into every coroutine a program creates, and
// blocking calls yield to the kernel from wherever they are. Either kind of
// yield inside a user coroutine would come back to the user's resume as an
// ordinary yield with no values. These versions recognise a kernel yield
// (Process::kernel_yield), pass it up to the kernel, and when the kernel
// resumes the process they resume the inner coroutine again, so the program
// never sees it.
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

enum Flavour : lua_KContext { kResume = 0, kWrap = 1 };

// Checks that co can be resumed, as lcorolib's auxresume does.
const char* resume_problem(lua_State* L, lua_State* co) {
  if (L == co) return "cannot resume non-suspended coroutine";
  switch (lua_status(co)) {
    case LUA_OK:
      if (lua_gettop(co) == 0) return "cannot resume dead coroutine";
      if (lua_getstack(co, 0, nullptr)) return "cannot resume non-suspended coroutine";
      return nullptr;
    case LUA_YIELD: return nullptr;
    default: return "cannot resume dead coroutine";
  }
}

int finish(lua_State* L, lua_State* co, int status, int nres, lua_KContext flavour);

// Resumes co (stack index 1 of L) with the top narg values of L, going back
// to the kernel for as long as co's yields are the kernel's.
int resume_loop(lua_State* L, int narg, lua_KContext flavour) {
  lua_State* co = lua_tothread(L, 1);
  Process& p = Process::from(L);
  for (;;) {
    if (!lua_checkstack(co, narg)) {
      lua_pushliteral(L, "too many arguments to resume");
      return finish(L, co, LUA_ERRRUN, -1, flavour);
    }
    lua_xmove(L, co, narg);
    int nres = 0;
    Scheduler& scheduler = p.kernel().scheduler();
    scheduler.switched_to(p, co);  // the preempter watches the coroutine that runs
    int status = lua_resume(co, L, narg, &nres);
    scheduler.switched_to(p, L);
    if (status != LUA_YIELD || !p.kernel_yield()) return finish(L, co, status, nres, flavour);
    lua_pop(co, nres);
    if (lua_isyieldable(L)) return lua_yieldk(L, 0, flavour, [](lua_State* L2, int, lua_KContext f) {
      return resume_loop(L2, 0, f);
    });
    // We cannot pass the yield up (a C boundary such as a sort comparator is
    // above us). A blocking call fails here; a preemption resumes at once,
    // with the same wall-time limit the hook applies.
    p.clear_kernel_yield();
    KernelLock& lock = p.kernel().lock();
    lock.enter();
    bool blocked = p.blocker().active();
    if (blocked) p.kernel().unblock(p);
    lock.leave();
    if (blocked) {
      lua_pushliteral(L, "attempt to yield across a C-call boundary");
      return finish(L, co, LUA_ERRRUN, -1, flavour);
    }
    if (p.too_long_without_yielding())
      return luaL_error(L, "too long without yielding");
    narg = 0;
  }
}

// Returns what resume/wrap give the caller. nres < 0 means the error message
// is already on L's stack.
int finish(lua_State* L, lua_State* co, int status, int nres, lua_KContext flavour) {
  if (status == LUA_OK || status == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) {
      lua_pop(co, nres);
      lua_pushliteral(L, "too many results to resume");
      status = LUA_ERRRUN;
      nres = -1;
    } else {
      if (flavour == kResume) lua_pushboolean(L, 1);
      lua_xmove(co, L, nres);
      return nres + (flavour == kResume ? 1 : 0);
    }
  }
  if (nres >= 0) lua_xmove(co, L, 1);  // the error object
  if (flavour == kResume) {
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  // wrap: close the dead coroutine and propagate the error with position.
  if (status != LUA_ERRMEM && lua_status(co) != LUA_OK && lua_status(co) != LUA_YIELD) {
    lua_resetthread(co);
  }
  if (lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

int co_resume(lua_State* L) {
  lua_State* co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "coroutine");
  if (const char* problem = resume_problem(L, co)) {
    lua_pushboolean(L, 0);
    lua_pushstring(L, problem);
    return 2;
  }
  return resume_loop(L, lua_gettop(L) - 1, kResume);
}

int wrap_call(lua_State* L) {
  lua_State* co = lua_tothread(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (const char* problem = resume_problem(L, co)) {
    luaL_where(L, 1);
    lua_pushstring(L, problem);
    lua_concat(L, 2);
    return lua_error(L);
  }
  return resume_loop(L, lua_gettop(L) - 1, kWrap);
}

int co_wrap(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State* co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushcclosure(L, wrap_call, 1);
  return 1;
}

}  // namespace

int open_coroutine(lua_State* L) {
  luaopen_coroutine(L);
  static const luaL_Reg replaced[] = {{"resume", co_resume}, {"wrap", co_wrap}, {nullptr, nullptr}};
  luaL_setfuncs(L, replaced, 0);
  return 1;
}

}  // namespace moonbox
