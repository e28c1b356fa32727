// The Lua layer may use both floors below it.
#include "vm/kernel/Kernel.h"
#include "vm/machine/Computer.h"
