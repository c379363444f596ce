// Umbrella header: everything a host needs.
#ifndef TACT_TACT_H_
#define TACT_TACT_H_

#include "tact/codes.h"          // IWYU pragma: export
#include "tact/diagnostic.h"     // IWYU pragma: export
#include "tact/engine.h"         // IWYU pragma: export
#include "tact/engine_handle.h"  // IWYU pragma: export

#endif  // TACT_TACT_H_
