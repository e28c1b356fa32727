// Clock is header-only; this file keeps one translation unit per concept.
#include "vm/kernel/Clock.h"
