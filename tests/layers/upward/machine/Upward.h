// A machine header that reaches up to the Lua layer: refused too.
#include "vm/lua/Binding.h"
