// Shared pieces of the fuzz targets: the example policy an input is decided
// against, and a context every decide target can fall back to.
#ifndef TACT_FUZZ_FUZZ_COMMON_H_
#define TACT_FUZZ_FUZZ_COMMON_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "tact/engine.h"

namespace tact::fuzz {

// examples/policies/support.textproto, compiled once (TACT_SOURCE_DIR is
// the source root, set by fuzz/CMakeLists.txt). Aborts when it fails to
// load: that is a broken checkout, not a finding.
const Engine& SupportEngine();

// A small valid context (gold customer, late delivery).
const v1::Context& SampleContext();

// Decides `context` on `engine` with and without a trace and as a bot, and
// renders each decision, so the ranker, templates and printers run too.
void DecideEveryWay(const Engine& engine, const v1::Context& context);

}  // namespace tact::fuzz

#endif  // TACT_FUZZ_FUZZ_COMMON_H_
