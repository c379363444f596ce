#include "tact/coverage.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/engine/decision_outcomes.h"
#include "tact/codes.h"
#include "tact/engine.h"

namespace tact {
namespace {

constexpr int kCategories = 6;

constexpr CoverageCategory kCategoryOrder[kCategories] = {
    CoverageCategory::kRules,        CoverageCategory::kRungs,
    CoverageCategory::kStrikeLimits, CoverageCategory::kPlaybooks,
    CoverageCategory::kBudgets,      CoverageCategory::kServiceLevels};

// An item's identity within its category: id, step, outcome.
using ItemKey = std::tuple<std::string, int64_t, std::string>;

int64_t PercentTenths(int64_t reached, int64_t total) {
  return total == 0 ? 1000 : reached * 1000 / total;
}

std::string FormatPercent(int64_t tenths) {
  return absl::StrCat(tenths / 10, ".", tenths % 10, "%");
}

}  // namespace

absl::string_view Name(CoverageCategory category) {
  switch (category) {
    case CoverageCategory::kRules:
      return "rules";
    case CoverageCategory::kRungs:
      return "rungs";
    case CoverageCategory::kStrikeLimits:
      return "strike_limits";
    case CoverageCategory::kPlaybooks:
      return "playbooks";
    case CoverageCategory::kBudgets:
      return "budgets";
    case CoverageCategory::kServiceLevels:
      return "service_levels";
  }
  return "";
}

struct PolicyCoverage::Impl {
  explicit Impl(const Engine& engine)
      : classifier(engine.policy()),
        policy_name(engine.policy().name()),
        policy_version(engine.policy().version()),
        policy_hash(engine.policy_hash()),
        has_rules(!engine.policy().rules().empty()) {
    Enumerate(engine.policy());
  }

  void Declare(CoverageCategory category, const std::string& id, int64_t step,
               const std::string& outcome, std::string label) {
    int c = static_cast<int>(category);
    if (!index[c].emplace(ItemKey{id, step, outcome}, items[c].size()).second) {
      return;  // a duplicate id: the policy does not load, but be safe
    }
    CoverageItem item;
    item.id = id;
    item.step = step;
    item.outcome = outcome;
    item.label = std::move(label);
    items[c].push_back(std::move(item));
  }

  // Every item of `policy`, in policy order.
  void Enumerate(const v1::Policy& policy) {
    for (const v1::Rule& rule : policy.rules()) {
      Declare(CoverageCategory::kRules, rule.id(), 0, "fired",
              absl::StrCat("rule \"", rule.id(), "\""));
    }
    for (const v1::EscalationLadder& ladder : policy.ladders()) {
      for (int k = 1; k <= ladder.rungs_size(); ++k) {
        Declare(CoverageCategory::kRungs, ladder.id(), k, "offered",
                absl::StrCat("ladder \"", ladder.id(), "\" rung ", k));
      }
    }
    auto outcome = [&](CoverageCategory category, absl::string_view kind,
                       const std::string& id, absl::string_view what) {
      Declare(category, id, 0, std::string(what),
              absl::StrCat(kind, " \"", id, "\" ", what));
    };
    for (const v1::StrikeLimit& s : policy.strike_limits()) {
      const CoverageCategory kStrike = CoverageCategory::kStrikeLimits;
      if (!s.warning().empty()) {
        outcome(kStrike, "strike_limit", s.id(), "warning");
      }
      if (!s.at_limit().empty() || !s.suppress().empty()) {
        outcome(kStrike, "strike_limit", s.id(), "at_limit");
      }
      if (!s.current_is_strike().empty()) {
        outcome(kStrike, "strike_limit", s.id(), "strike");
      }
    }
    for (const v1::RecoveryPlaybook& p : policy.playbooks()) {
      const CoverageCategory kPlaybook = CoverageCategory::kPlaybooks;
      outcome(kPlaybook, "playbook", p.id(), Name(PlaybookStage::kApology));
      if (p.has_fix() && !p.fix().action().empty()) {
        outcome(kPlaybook, "playbook", p.id(), Name(PlaybookStage::kFix));
      }
      if (!p.surprise().empty()) {
        outcome(kPlaybook, "playbook", p.id(), Name(PlaybookStage::kSurprise));
      }
      if (!p.compensation().empty() || !p.compensation_ladder().empty()) {
        outcome(kPlaybook, "playbook", p.id(),
                Name(PlaybookStage::kCompensation));
      }
      outcome(kPlaybook, "playbook", p.id(),
              Name(FlagCode::kRecoveryWindowMissed));
    }
    bool monetary = false;
    for (const v1::Action& action : policy.actions()) {
      monetary = monetary || !action.amount_param().empty();
    }
    if (monetary) {
      for (const v1::GoodwillBudget& b : policy.budgets()) {
        for (absl::string_view what : {"granted", "clipped", "exhausted"}) {
          outcome(CoverageCategory::kBudgets, "budget", b.id(), what);
        }
      }
    }
    // Per target, in target order, each threshold that applies to it, by
    // ascending percent.
    const v1::ServiceLevels& levels = policy.service_levels();
    std::vector<int> percents;
    for (const v1::SlaThreshold& t : levels.thresholds()) {
      percents.push_back(t.percent());
    }
    std::sort(percents.begin(), percents.end());
    percents.erase(std::unique(percents.begin(), percents.end()),
                   percents.end());
    for (const v1::ServiceLevelTarget& target : levels.targets()) {
      for (int percent : percents) {
        bool applies = false;
        for (const v1::SlaThreshold& t : levels.thresholds()) {
          if (t.percent() != percent) continue;
          applies = applies || t.targets().empty() ||
                    std::find(t.targets().begin(), t.targets().end(),
                              target.id()) != t.targets().end();
        }
        if (!applies) continue;
        Declare(CoverageCategory::kServiceLevels, target.id(), percent,
                "threshold",
                absl::StrCat("service_level \"", target.id(), "\" at ", percent,
                             "%"));
      }
    }
  }

  internal::OutcomeClassifier classifier;
  std::string policy_name;
  std::string policy_version;
  std::string policy_hash;
  bool has_rules = false;
  std::array<std::vector<CoverageItem>, kCategories> items;
  std::array<std::map<ItemKey, size_t>, kCategories> index;
  int64_t decisions = 0;
  int64_t untraced = 0;
};

PolicyCoverage::PolicyCoverage(const Engine& engine)
    : impl_(std::make_unique<Impl>(engine)) {}
PolicyCoverage::~PolicyCoverage() = default;
PolicyCoverage::PolicyCoverage(PolicyCoverage&&) noexcept = default;
PolicyCoverage& PolicyCoverage::operator=(PolicyCoverage&&) noexcept = default;

absl::Status PolicyCoverage::Add(const v1::Decision& decision) {
  Impl& s = *impl_;
  if (decision.policy_hash() != s.policy_hash) {
    return absl::InvalidArgumentError(absl::StrCat(
        "coverage of policy \"", s.policy_name, "\" version \"",
        s.policy_version, "\" (", s.policy_hash,
        "): the decision is of another policy, \"", decision.policy_name(),
        "\" version \"", decision.policy_version(), "\" (",
        decision.policy_hash().empty() ? "no hash" : decision.policy_hash(),
        ")"));
  }
  const internal::DecisionOutcomes o =
      s.classifier.Classify(decision, /*count_needs_approval=*/true);
  // Each item counts a decision once, however often the decision shows it.
  std::set<std::pair<int, size_t>> reached;
  auto reach = [&](CoverageCategory category, const std::string& id,
                   int64_t step, absl::string_view outcome) {
    int c = static_cast<int>(category);
    auto it = s.index[c].find(ItemKey{id, step, std::string(outcome)});
    if (it != s.index[c].end()) reached.emplace(c, it->second);
  };
  for (const std::string& id : o.rules_fired) {
    reach(CoverageCategory::kRules, id, 0, "fired");
  }
  for (const auto& [ladder, step] : o.rungs) {
    reach(CoverageCategory::kRungs, ladder, step, "offered");
  }
  for (const std::string& id : o.strike_warnings) {
    reach(CoverageCategory::kStrikeLimits, id, 0, "warning");
  }
  for (const std::string& id : o.strikes_at_limit) {
    reach(CoverageCategory::kStrikeLimits, id, 0, "at_limit");
  }
  for (const std::string& id : o.strikes_recorded) {
    reach(CoverageCategory::kStrikeLimits, id, 0, "strike");
  }
  for (const internal::StagedAction& staged : o.stages) {
    for (const std::string& id : staged.playbooks) {
      reach(CoverageCategory::kPlaybooks, id, 0, staged.stage);
    }
  }
  for (const std::string& id : o.windows_missed) {
    reach(CoverageCategory::kPlaybooks, id, 0,
          Name(FlagCode::kRecoveryWindowMissed));
  }
  for (const std::string& id : o.budget_granted) {
    reach(CoverageCategory::kBudgets, id, 0, "granted");
  }
  for (const std::string& id : o.budget_clipped) {
    reach(CoverageCategory::kBudgets, id, 0, "clipped");
  }
  for (const std::string& id : o.budget_exhausted) {
    reach(CoverageCategory::kBudgets, id, 0, "exhausted");
  }
  // A threshold acted on: its sla_threshold effect (ref: the target, step:
  // the percent).
  for (const v1::Effect& e : decision.effects()) {
    if (e.kind() == Name(EffectKind::kSlaThreshold)) {
      reach(CoverageCategory::kServiceLevels, e.ref(), e.step(), "threshold");
    }
  }
  for (const auto& [c, i] : reached) ++s.items[c][i].decisions;
  ++s.decisions;
  if (s.has_rules && !o.traced) ++s.untraced;
  return absl::OkStatus();
}

CoverageReport PolicyCoverage::Report() const {
  const Impl& s = *impl_;
  CoverageReport report;
  report.policy_name = s.policy_name;
  report.policy_version = s.policy_version;
  report.decisions = s.decisions;
  report.untraced_decisions = s.untraced;
  for (CoverageCategory category : kCategoryOrder) {
    CategoryCoverage cat;
    cat.category = category;
    for (const CoverageItem& item : s.items[static_cast<int>(category)]) {
      if (item.decisions > 0) {
        cat.reached.push_back(item);
      } else if (category == CoverageCategory::kRules && s.untraced > 0) {
        cat.unknown.push_back(item);
      } else {
        cat.not_reached.push_back(item);
      }
    }
    cat.reached_count = static_cast<int64_t>(cat.reached.size());
    cat.total =
        cat.reached_count +
        static_cast<int64_t>(cat.not_reached.size() + cat.unknown.size());
    cat.percent_tenths = PercentTenths(cat.reached_count, cat.total);
    report.reached_count += cat.reached_count;
    report.total += cat.total;
    report.categories.push_back(std::move(cat));
  }
  report.percent_tenths = PercentTenths(report.reached_count, report.total);
  return report;
}

std::string FormatCoverage(const CoverageReport& report) {
  std::string out = absl::StrCat(
      "coverage ", report.reached_count, "/", report.total, " (",
      FormatPercent(report.percent_tenths), ") over ", report.decisions,
      report.decisions == 1 ? " decision\n" : " decisions\n");
  for (const CategoryCoverage& cat : report.categories) {
    absl::StrAppend(&out, Name(cat.category), " ", cat.reached_count, "/",
                    cat.total);
    if (cat.total == 0) {
      out.append(" (none declared)\n");
      continue;
    }
    absl::StrAppend(&out, " (", FormatPercent(cat.percent_tenths), ")");
    if (!cat.unknown.empty()) {
      absl::StrAppend(&out, ", ", cat.unknown.size(),
                      " unknown: ", report.untraced_decisions, " of ",
                      report.decisions, " decisions had no rule trace");
    }
    out.append("\n");
    for (const CoverageItem& item : cat.not_reached) {
      absl::StrAppend(&out, "  never reached: ", item.label, "\n");
    }
    for (const CoverageItem& item : cat.unknown) {
      absl::StrAppend(&out, "  unknown: ", item.label, "\n");
    }
  }
  return out;
}

bool MeetsCoverage(const CoverageReport& report, double min_percent) {
  if (std::isnan(min_percent)) return false;
  if (min_percent <= 0) return true;
  if (min_percent > 100) min_percent = 100;
  const int64_t tenths = std::llround(min_percent * 10);
  // reached / total >= tenths / 1000, in integers.
  return report.reached_count * 1000 >= tenths * report.total;
}

absl::StatusOr<double> ParseCoveragePercent(absl::string_view text) {
  absl::string_view number = absl::StripAsciiWhitespace(text);
  if (!number.empty() && number.back() == '%') number.remove_suffix(1);
  const size_t dot = number.find('.');
  bool valid = !number.empty() && (dot == absl::string_view::npos ||
                                   (dot > 0 && number.size() - dot == 2));
  for (char ch : number) {
    valid = valid &&
            (absl::ascii_isdigit(static_cast<unsigned char>(ch)) || ch == '.');
  }
  double value = 0;
  if (valid && absl::SimpleAtod(number, &value) && value >= 0 && value <= 100) {
    return value;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("coverage threshold \"", text,
                   "\": expected a percentage from 0 to 100 with at most one "
                   "decimal, e.g. 85 or 85.5"));
}

}  // namespace tact
