// A kernel file that reaches up to the machine: the layer check must refuse it.
#include "vm/kernel/Kernel.h"
#include "vm/machine/Computer.h"
