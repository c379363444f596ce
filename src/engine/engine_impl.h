// What an Engine holds, for the engine's own translation units (engine.cc,
// and the code that explains or re-decides with a compiled plan).
#ifndef TACT_SRC_ENGINE_ENGINE_IMPL_H_
#define TACT_SRC_ENGINE_ENGINE_IMPL_H_

#include <memory>
#include <string>

#include "src/policy/plan.h"
#include "tact/engine.h"
#include "tact/v1/policy.pb.h"

namespace tact {

struct Engine::Impl {
  v1::Policy policy;
  std::string hash;
  std::unique_ptr<const internal::PolicyPlan> plan;
};

}  // namespace tact

#endif  // TACT_SRC_ENGINE_ENGINE_IMPL_H_
