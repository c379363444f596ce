#include "src/policy/service_cost.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/policy/outcome.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

int64_t AddSaturated(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) {
    return std::numeric_limits<int64_t>::max();
  }
  return out;
}

bool SameTime(const google::protobuf::Timestamp& a,
              const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

// The refs (action ids) of the service_cost events recorded in this case at
// exactly now, sorted: this decision's own effects when the case is decided
// again at the same now. One pass over the history; empty (no allocation)
// in the usual case, where nothing was recorded at now.
void RecordedAtNow(const v1::Context& context,
                   std::vector<absl::string_view>* refs) {
  refs->clear();
  const std::string& case_id = context.case_().id();
  if (case_id.empty()) return;
  for (const v1::Event& e : context.history()) {
    if (e.kind() == Name(EffectKind::kServiceCost) && e.case_id() == case_id &&
        SameTime(e.at(), context.now())) {
      refs->push_back(e.ref());
    }
  }
  std::sort(refs->begin(), refs->end());
}

}  // namespace

void WriteServiceCosts(const PolicyPlan& plan, const v1::Context& context,
                       const RankScratch& scratch, v1::Decision* decision) {
  int64_t total = 0;
  int64_t minutes = 0;
  // Read from the history only once a recommended action has a cost: a
  // policy without costs never walks the history here.
  std::vector<absl::string_view> recorded;
  bool recorded_read = false;
  for (const RankedAction& r : scratch.ranked) {
    if (r.required_authority >= 0) continue;  // needs approval
    const ActionPlan& action = plan.actions[r.action];
    if (action.cost == 0 && action.agent_minutes == 0) continue;
    if (!recorded_read) {
      RecordedAtNow(context, &recorded);
      recorded_read = true;
    }
    total = AddSaturated(total, action.cost);
    minutes = AddSaturated(minutes, action.agent_minutes);
    if (std::binary_search(recorded.begin(), recorded.end(),
                           absl::string_view(action.id))) {
      continue;
    }
    EffectRef{EffectKind::kServiceCost, action.id, action.cost,
              action.agent_minutes}
        .WriteTo(decision->add_effects());
  }
  decision->set_total_cost(total);
  decision->set_total_agent_minutes(minutes);
}

}  // namespace tact::internal
