#include "src/policy/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/policy/condition.h"
#include "src/policy/constructs/construct_table.h"
#include "src/policy/constructs/service_level.h"
#include "src/policy/lint.h"
#include "src/policy/policy_compiler.h"

namespace tact::internal {
namespace {

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

ValueType ToValueType(v1::AttributeDeclaration::Type type) {
  switch (type) {
    case v1::AttributeDeclaration::BOOL:
      return ValueType::kBool;
    case v1::AttributeDeclaration::INT:
      return ValueType::kInt;
    case v1::AttributeDeclaration::DOUBLE:
      return ValueType::kDouble;
    case v1::AttributeDeclaration::STRING:
      return ValueType::kString;
    case v1::AttributeDeclaration::TIMESTAMP:
      return ValueType::kTimestamp;
    case v1::AttributeDeclaration::DURATION:
      return ValueType::kDuration;
    default:
      return ValueType::kError;
  }
}

// Orders every condition's conjuncts (OrderConjuncts), the rules' and
// modifiers' here and the constructs' in their finish steps.
void OrderAllConjuncts(PolicyPlan& plan) {
  const Program& program = *plan.program;
  for (RulePlan& rule : plan.rules) {
    OrderConjuncts(program, &rule.when);
    for (RecommendationPlan& rec : rule.recommend) {
      OrderConjuncts(program, &rec.when);
    }
  }
  for (ModifierPlan& m : plan.modifiers) OrderConjuncts(program, &m.when);
  for (const Construct& construct : kConstructs) {
    if (construct.finish != nullptr) construct.finish(&plan);
  }
}

}  // namespace

// Compiles the policy's own parts (attributes, authorities, calendars,
// actions, definitions, modifiers, rules), then each construct.
class PlanBuilder {
 public:
  PlanBuilder(const LoadedPolicy& loaded, const CompileOptions& options,
              std::vector<Diagnostic>* diagnostics)
      : policy_(loaded.policy),
        options_(options),
        c_(loaded, options, diagnostics) {}

  std::unique_ptr<const PolicyPlan> Build() && {
    PolicyPlan& plan = c_.plan();
    plan.currency = policy_.currency();
    if (policy_.name().empty()) {
      c_.Warning("name", "",
                 "the policy has no name; decisions will not say which "
                 "policy made them");
    }
    if (policy_.rules_size() > options_.max_rules) {
      c_.Error("rules", "",
               absl::StrCat("the policy has ", policy_.rules_size(),
                            " rules; the limit is ", options_.max_rules));
      return nullptr;
    }
    if (policy_.agent_minute_rate() < 0) {
      c_.Error("agent_minute_rate", "",
               absl::StrCat("agent_minute_rate ", policy_.agent_minute_rate(),
                            " is negative; an agent minute costs at least 0 "
                            "minor units"));
    }
    DeclareAttributes();
    // Before any expression compiles: conditions read `sla.<target>.<fact>`.
    DeclareServiceLevelFacts(c_);
    CompileAuthorities();
    CompileCalendars();
    CompileActions();
    CompileDefinitions();
    CompileModifiers();
    CompileRules();
    for (const Construct& construct : kConstructs) {
      if (construct.compile != nullptr) construct.compile(c_);
    }
    if (c_.failed()) return nullptr;
    std::unique_ptr<PolicyPlan> out = c_.TakePlan();
    out->program = std::move(c_.program()).Build();
    OrderAllConjuncts(*out);
    out->rule_index = RuleIndex::Build(out->rules, *out->program);
    for (size_t r = 0; r < out->rules.size(); ++r) {
      if (!out->rules[r].veto.empty() || out->rules[r].final) {
        out->restricting_rules.push_back(static_cast<int>(r));
      }
    }
    static_assert(std::size(kConstructs) <= 32, "constructs_present bits");
    out->constructs_present = 0;
    for (size_t i = 0; i < std::size(kConstructs); ++i) {
      if (kConstructs[i].present == nullptr || kConstructs[i].present(*out)) {
        out->constructs_present |= uint32_t{1} << i;
      }
    }
    return out;
  }

 private:
  void DeclareAttributes() {
    for (int i = 0; i < policy_.attributes_size(); ++i) {
      const v1::AttributeDeclaration& a = policy_.attributes(i);
      std::string path = absl::StrCat("attributes[", i, "]");
      std::string element = absl::StrCat("attribute \"", a.name(), "\"");
      ValueType type = ToValueType(a.type());
      if (type == ValueType::kError) {
        c_.Error(path, element,
                 "declare the attribute's type (BOOL, INT, DOUBLE, STRING, "
                 "TIMESTAMP or DURATION)");
        continue;
      }
      absl::Status status = c_.program().DeclareAttribute(a.name(), type);
      if (!status.ok()) c_.Error(path, element, status.message());
    }
  }

  void CompileAuthorities() {
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < policy_.authorities_size(); ++i) {
      const std::string& name = policy_.authorities(i);
      if (!IsValidId(name) || !seen.insert(name).second) {
        c_.Error(absl::StrCat("authorities[", i, "]"), "",
                 absl::StrCat("authority \"", name,
                              "\" is malformed or listed twice"));
      }
      c_.plan().authorities.push_back(name);
    }
  }

  int AuthorityIndex(absl::string_view name, const std::string& path,
                     const std::string& element) {
    const std::vector<std::string>& all = c_.plan().authorities;
    auto it = std::find(all.begin(), all.end(), name);
    if (it != all.end()) return static_cast<int>(it - all.begin());
    c_.Error(path, element,
             absl::StrCat("unknown authority \"", name,
                          "\"; the policy's "
                          "authorities are: ",
                          absl::StrJoin(all, ", ")));
    return -1;
  }

  void CompileCalendars() {
    for (int i = 0; i < policy_.calendars_size(); ++i) {
      const v1::BusinessCalendar& cal = policy_.calendars(i);
      std::string path = absl::StrCat("calendars[", i, "]");
      std::string element = absl::StrCat("calendar \"", cal.id(), "\"");
      absl::StatusOr<BusinessCalendar> compiled = BusinessCalendar::Create(cal);
      if (!compiled.ok()) {
        c_.Error(path, element, compiled.status().message());
        compiled = BusinessCalendar::AlwaysOpen();  // keep indices aligned
      }
      if (!IsValidId(cal.id()) ||
          !c_.calendar_index_.emplace(cal.id(), i).second) {
        c_.Error(path + ".id", element,
                 "a calendar needs a unique id of [a-z0-9_.-]");
      }
      c_.plan().calendars.push_back(*std::move(compiled));
    }
  }

  void CompileActions() {
    PolicyPlan& plan = c_.plan();
    for (int i = 0; i < policy_.actions_size(); ++i) {
      const v1::Action& a = policy_.actions(i);
      std::string path = absl::StrCat("actions[", i, "]");
      std::string element = absl::StrCat("action \"", a.id(), "\"");
      if (!IsValidId(a.id())) {
        c_.Error(path + ".id", element,
                 "an action id must be 1-128 characters of [a-z0-9_.-]");
      } else if (!c_.action_index_.emplace(a.id(), i).second) {
        c_.Error(path + ".id", element, "duplicate action id");
      }
      ActionPlan action;
      action.id = a.id();
      action.title = a.title().empty() ? a.id() : a.title();
      absl::StatusOr<Template> text = ParseTemplate(a.template_());
      if (!text.ok()) {
        c_.Error(path + ".template", element, text.status().message());
      } else {
        action.text = *std::move(text);
      }
      action.tags.assign(a.tags().begin(), a.tags().end());
      std::sort(action.tags.begin(), action.tags.end());
      action.amount_param = a.amount_param();
      action.min_amount = a.min_amount();
      if (a.min_amount() < 0) {
        c_.Error(path + ".min_amount", element, "min_amount must be >= 0");
      }
      if (!a.authority().empty()) {
        action.authority =
            AuthorityIndex(a.authority(), path + ".authority", element);
      }
      for (int k = 0; k < a.limits_size(); ++k) {
        std::string limit_path = absl::StrCat(path, ".limits[", k, "]");
        if (!action.monetary()) {
          c_.Error(limit_path, element,
                   "monetary limits need amount_param: which parameter holds "
                   "the amount?");
        }
        if (a.limits(k).max_amount() < 0) {
          c_.Error(limit_path, element, "max_amount must be >= 0");
        }
        int who = AuthorityIndex(a.limits(k).authority(),
                                 limit_path + ".authority", element);
        if (who >= 0) action.limits.push_back({who, a.limits(k).max_amount()});
      }
      CheckAuthorityLimits(c_, a, action, path, element);
      action.requires_features.assign(a.requires().begin(), a.requires().end());
      std::sort(action.requires_features.begin(),
                action.requires_features.end());
      CompileActionCost(a, path, element, &action);
      plan.actions.push_back(std::move(action));
    }
    // Ranking breaks ties by action id; compare precomputed positions.
    std::vector<int> by_id(plan.actions.size());
    for (size_t i = 0; i < by_id.size(); ++i) by_id[i] = static_cast<int>(i);
    std::sort(by_id.begin(), by_id.end(), [&](int a, int b) {
      return plan.actions[a].id < plan.actions[b].id;
    });
    for (size_t k = 0; k < by_id.size(); ++k) {
      plan.actions[by_id[k]].id_order = static_cast<int>(k);
    }
    // Alternatives may name any action, so resolve them once all are known.
    for (int i = 0; i < policy_.actions_size(); ++i) {
      const v1::Action& a = policy_.actions(i);
      if (a.alternative().empty()) continue;
      std::string path = absl::StrCat("actions[", i, "].alternative");
      std::string element = absl::StrCat("action \"", a.id(), "\"");
      int alt = c_.ActionIndex(a.alternative(), path, element);
      if (alt >= 0 && plan.actions[alt].monetary()) {
        c_.Error(path, element,
                 absl::StrCat("the alternative \"", a.alternative(),
                              "\" is monetary; offered when money has run "
                              "out, it must not cost money"));
        alt = -1;
      }
      plan.actions[i].alternative = alt;
    }
  }

  // The action's cost of service, in minor units: its fixed amount plus its
  // agent minutes at the policy's agent_minute_rate. A negative figure, agent
  // minutes without a rate, or a total past int64 is an error.
  void CompileActionCost(const v1::Action& a, const std::string& path,
                         const std::string& element, ActionPlan* action) {
    if (!a.has_cost()) return;
    const v1::ActionCost& cost = a.cost();
    const int64_t rate = policy_.agent_minute_rate();
    bool ok = true;
    if (cost.amount() < 0) {
      c_.Error(path + ".cost.amount", element,
               absl::StrCat("cost amount ", cost.amount(),
                            " is negative; a cost is at least 0 minor units"));
      ok = false;
    }
    if (cost.agent_minutes() < 0) {
      c_.Error(path + ".cost.agent_minutes", element,
               absl::StrCat("agent_minutes ", cost.agent_minutes(),
                            " is negative; an action takes at least 0 "
                            "minutes"));
      ok = false;
    }
    if (cost.agent_minutes() > 0 && rate <= 0) {
      // agent_minute_rate itself is reported (once) when negative.
      if (rate == 0) {
        c_.Error(path + ".cost.agent_minutes", element,
                 "agent minutes need the policy's agent_minute_rate (minor "
                 "units per agent minute); set it at the top of the policy");
      }
      ok = false;
    }
    if (!ok) return;
    int64_t agent_cost = 0;
    int64_t total = 0;
    if (__builtin_mul_overflow(cost.agent_minutes(), rate, &agent_cost) ||
        __builtin_add_overflow(agent_cost, cost.amount(), &total)) {
      c_.Error(
          path + ".cost", element,
          absl::StrCat("the cost overflows: ", cost.agent_minutes(),
                       " agent minutes at ", rate, " minor units each plus ",
                       cost.amount(), " is more than ",
                       std::numeric_limits<int64_t>::max(), " minor units"));
      return;
    }
    action->cost = total;
    action->agent_minutes = cost.agent_minutes();
  }

  void CompileDefinitions() {
    absl::flat_hash_map<std::string, int> index;
    for (int i = 0; i < policy_.definitions_size(); ++i) {
      const v1::Definition& d = policy_.definitions(i);
      std::string element = absl::StrCat("definition \"", d.name(), "\"");
      absl::Status status = c_.program().DeclareDefinition(d.name(), d.expr());
      if (!status.ok()) {
        c_.Error(absl::StrCat("definitions[", i, "].name"), element,
                 status.message());
        continue;
      }
      index.emplace(d.name(), i);
    }
    for (const auto& [name, diagnostic] : c_.program().CompileDefinitions()) {
      auto it = index.find(name);
      int i = it == index.end() ? 0 : it->second;
      // Route through the compiler's reporting for the file position.
      c_.ExprErrors(absl::StrCat("definitions[", i, "].expr"),
                    absl::StrCat("definition \"", name, "\""), {diagnostic}, 0);
    }
  }

  void CompileModifiers() {
    PolicyPlan& plan = c_.plan();
    for (int i = 0; i < policy_.score_modifiers_size(); ++i) {
      const v1::ScoreModifier& m = policy_.score_modifiers(i);
      std::string path = absl::StrCat("score_modifiers[", i, "]");
      std::string element = absl::StrCat("score modifier \"", m.id(), "\"");
      ModifierPlan modifier;
      modifier.id = m.id();
      c_.Condition(m.when(), path + ".when", element, &modifier.when);
      if (m.factor().empty()) {
        c_.Error(path + ".factor", element,
                 "a score modifier needs a factor expression");
      } else {
        ValueType dbl = ValueType::kDouble;
        modifier.factor =
            c_.Expression(m.factor(), &dbl, path + ".factor", element);
      }
      for (int a = 0; a < static_cast<int>(plan.actions.size()); ++a) {
        const std::vector<std::string>& tags = plan.actions[a].tags;
        bool match = m.tags().empty();
        for (const std::string& tag : m.tags()) {
          match = match || std::binary_search(tags.begin(), tags.end(), tag);
        }
        if (match) modifier.actions.push_back(a);
      }
      if (modifier.actions.empty()) {
        c_.Warning(path + ".tags", element,
                   absl::StrCat("no action carries any of the tags ",
                                absl::StrJoin(m.tags(), ", "),
                                "; the modifier never applies"));
      }
      plan.modifiers.push_back(std::move(modifier));
    }
  }

  void CompileRules() {
    PolicyPlan& plan = c_.plan();
    absl::flat_hash_set<std::string> ids;
    for (int i = 0; i < policy_.rules_size(); ++i) {
      const v1::Rule& r = policy_.rules(i);
      std::string path = absl::StrCat("rules[", i, "]");
      std::string element = absl::StrCat("rule \"", r.id(), "\"");
      if (!IsValidId(r.id())) {
        c_.Error(path + ".id", element,
                 "a rule id must be 1-128 characters of [a-z0-9_.-]");
      } else if (!ids.insert(r.id()).second) {
        c_.Error(path + ".id", element, "duplicate rule id");
      }
      RulePlan rule;
      rule.id = r.id();
      rule.index = i;
      rule.priority = r.priority();
      rule.final = r.final();
      if (!std::isfinite(r.weight()) || r.weight() < 0) {
        c_.Error(path + ".weight", element,
                 "weight must be a finite number >= 0");
      }
      rule.weight = r.weight() == 0 ? 1.0 : r.weight();
      c_.Condition(r.when(), path + ".when", element, &rule.when);
      if (r.recommend().empty() && r.veto().empty()) {
        c_.Warning(path, element,
                   "the rule neither recommends nor vetoes any action");
      }
      for (int k = 0; k < r.recommend_size(); ++k) {
        rule.recommend.push_back(c_.Recommendation(
            r.recommend(k), absl::StrCat(path, ".recommend[", k, "]"),
            element));
      }
      for (int k = 0; k < r.veto_size(); ++k) {
        int a = c_.ActionIndex(r.veto(k), absl::StrCat(path, ".veto[", k, "]"),
                               element);
        if (a >= 0) rule.veto.push_back(a);
      }
      rule.reason =
          c_.Reason(r.reason(), path + ".reason", element, rule.recommend);
      rule.fallback_reason = absl::StrCat("Rule \"", rule.id, "\" matched.");
      rule.veto_reason = rule.reason.empty()
                             ? rule.fallback_reason
                             : RenderTemplate(rule.reason, {}, plan.currency);
      plan.rules.push_back(std::move(rule));
    }
    std::stable_sort(plan.rules.begin(), plan.rules.end(),
                     [](const RulePlan& a, const RulePlan& b) {
                       return a.priority > b.priority;
                     });
  }

  const v1::Policy& policy_;
  const CompileOptions& options_;
  PolicyCompiler c_;
};

std::unique_ptr<const PolicyPlan> BuildPlan(
    const LoadedPolicy& loaded, const CompileOptions& options,
    std::vector<Diagnostic>* diagnostics) {
  std::unique_ptr<const PolicyPlan> plan =
      PlanBuilder(loaded, options, diagnostics).Build();
  // Only a policy that compiled is linted, and lint only warns.
  if (plan != nullptr) LintPolicy(loaded, *plan, diagnostics);
  return plan;
}

}  // namespace tact::internal
