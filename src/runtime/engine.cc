// Placeholder until the runtime lands.
#include "tact/engine.h"
