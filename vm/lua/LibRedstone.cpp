// redstone (rs): CC's redstone API over the computer's Redstone object.
#include <cmath>

#include "vm/machine/Computer.h"
#include "vm/lua/Binding.h"
#include "vm/lua/Sandbox.h"

namespace moonbox {

namespace {

Redstone& redstone(lua_State* L) { return current_computer(L).redstone(); }

int check_side(lua_State* L, int arg) {
  if (lua_type(L, arg) != LUA_TSTRING) type_error(L, arg, "string");  // CC takes no numbers here
  std::size_t len;
  const char* name = lua_tolstring(L, arg, &len);
  int side = Redstone::side({name, len});
  if (side < 0) arg_error(L, arg, lua_pushfstring(L, "unknown option %s", name));
  return side;
}

// A finite number, as CC's Java functions take them ("got nan", "got inf").
lua_Number check_finite(lua_State* L, int arg) {
  lua_Number n = check_number(L, arg);
  if (std::isnan(n)) arg_error(L, arg, "number expected, got nan");
  if (std::isinf(n)) arg_error(L, arg, n > 0 ? "number expected, got inf" : "number expected, got -inf");
  return n;
}

int rs_getSides(lua_State* L) {
  lua_createtable(L, Redstone::kSides, 0);
  for (int i = 0; i < Redstone::kSides; i++) {
    lua_pushlstring(L, Redstone::kNames[static_cast<std::size_t>(i)].data(), Redstone::kNames[static_cast<std::size_t>(i)].size());
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

int rs_setOutput(lua_State* L) {
  int side = check_side(L, 1);
  if (!lua_isboolean(L, 2)) type_error(L, 2, "boolean");
  redstone(L).set_output(side, lua_toboolean(L, 2) ? 15 : 0);
  return 0;
}

int rs_getOutput(lua_State* L) {
  lua_pushboolean(L, redstone(L).output(check_side(L, 1)) > 0);
  return 1;
}

int rs_getInput(lua_State* L) {
  lua_pushboolean(L, redstone(L).input(check_side(L, 1)) > 0);
  return 1;
}

int rs_setAnalogOutput(lua_State* L) {
  int side = check_side(L, 1);
  lua_Number value = check_finite(L, 2);
  if (value < 0 || value > 15) cc_error(L, "Expected number in range 0-15");
  redstone(L).set_output(side, static_cast<int>(value));
  return 0;
}

int rs_getAnalogOutput(lua_State* L) {
  lua_pushinteger(L, redstone(L).output(check_side(L, 1)));
  return 1;
}

int rs_getAnalogInput(lua_State* L) {
  lua_pushinteger(L, redstone(L).input(check_side(L, 1)));
  return 1;
}

int rs_setBundledOutput(lua_State* L) {
  int side = check_side(L, 1);
  lua_Number mask = check_finite(L, 2);
  redstone(L).set_bundled_output(side, static_cast<int>(static_cast<long long>(mask) & 0xFFFF));
  return 0;
}

int rs_getBundledOutput(lua_State* L) {
  lua_pushinteger(L, redstone(L).bundled_output(check_side(L, 1)));
  return 1;
}

int rs_getBundledInput(lua_State* L) {
  lua_pushinteger(L, redstone(L).bundled_input(check_side(L, 1)));
  return 1;
}

int rs_testBundledInput(lua_State* L) {
  int side = check_side(L, 1);
  int mask = static_cast<int>(static_cast<long long>(check_finite(L, 2)) & 0xFFFF);
  lua_pushboolean(L, (redstone(L).bundled_input(side) & mask) == mask);
  return 1;
}

const luaL_Reg rs_functions[] = {
    {"getSides", rs_getSides},
    {"setOutput", rs_setOutput},
    {"getOutput", rs_getOutput},
    {"getInput", rs_getInput},
    {"setAnalogOutput", rs_setAnalogOutput},
    {"setAnalogueOutput", rs_setAnalogOutput},
    {"getAnalogOutput", rs_getAnalogOutput},
    {"getAnalogueOutput", rs_getAnalogOutput},
    {"getAnalogInput", rs_getAnalogInput},
    {"getAnalogueInput", rs_getAnalogInput},
    {"setBundledOutput", rs_setBundledOutput},
    {"getBundledOutput", rs_getBundledOutput},
    {"getBundledInput", rs_getBundledInput},
    {"testBundledInput", rs_testBundledInput},
    {nullptr, nullptr},
};

}  // namespace

int open_redstone(lua_State* L) {
  new_cc_module(L, rs_functions);
  return 1;
}

}  // namespace moonbox
