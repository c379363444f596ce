#include "src/engine/service_level_totals.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "tact/codes.h"
#include "tact/simulation.h"

namespace tact {

int64_t PercentTenths(int64_t part, int64_t whole) {
  if (whole <= 0) return -1;
  // Counts of cases: part * 1000 fits in 128 bits whatever they are.
  __extension__ typedef __int128 Int128;  // GCC and Clang
  const Int128 scaled = static_cast<Int128>(part) * 1000;
  const Int128 tenths = (scaled * 2 + whole) / (static_cast<Int128>(whole) * 2);
  return static_cast<int64_t>(tenths);
}

namespace internal {
namespace {

// Counts `state` into `t`; "none" and unknown states are not measured.
void Count(const std::string& state, ServiceLevelTally* t) {
  int64_t* n = nullptr;
  if (state == Name(SlaState::kMet)) {
    n = &t->met;
  } else if (state == Name(SlaState::kOk)) {
    n = &t->ok;
  } else if (state == Name(SlaState::kAtRisk)) {
    n = &t->at_risk;
  } else if (state == Name(SlaState::kBreached)) {
    n = &t->breached;
  } else if (state == Name(SlaState::kMissed)) {
    n = &t->missed;
  }
  if (n == nullptr) return;
  ++*n;
  ++t->measured;
}

void AddTo(const CaseServiceLevels& c, bool beyond_contract,
           TierServiceLevels* row) {
  ++row->cases;
  if (beyond_contract) ++row->beyond_contract_cases;
  for (const auto& [target, state] : c.states) {
    Count(state, &row->targets[target]);
  }
}

}  // namespace

CaseServiceLevels ServiceLevelsOf(const v1::Decision& decision) {
  CaseServiceLevels c;
  if (decision.service_levels().empty()) return c;
  const v1::ServiceLevelStatus& first = decision.service_levels(0);
  c.tier = !first.tier().empty()          ? first.tier()
           : !first.entitlement().empty() ? first.entitlement()
                                          : "(none)";
  for (const v1::ServiceLevelStatus& s : decision.service_levels()) {
    c.states.emplace_back(s.target(), s.state());
  }
  return c;
}

void AddServiceLevels(const CaseServiceLevels& c, bool beyond_contract,
                      ServiceLevelSummary* summary) {
  if (!c.carried()) return;
  for (const auto& [target, state] : c.states) {
    if (std::find(summary->targets.begin(), summary->targets.end(), target) ==
        summary->targets.end()) {
      summary->targets.push_back(target);
    }
  }
  AddTo(c, beyond_contract, &summary->by_tier[c.tier]);
  AddTo(c, beyond_contract, &summary->total);
}

}  // namespace internal
}  // namespace tact
