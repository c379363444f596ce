#include "src/policy/lint.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "src/policy/condition_ranges.h"

namespace tact::internal {
namespace {

using Ignores = google::protobuf::RepeatedPtrField<std::string>;

bool Ignored(const Ignores& ignores, absl::string_view check) {
  return std::find(ignores.begin(), ignores.end(), check) != ignores.end();
}

bool KnownCheck(absl::string_view name) {
  return std::find(std::begin(kLintChecks), std::end(kLintChecks), name) !=
         std::end(kLintChecks);
}

bool NeverTrue(const ConditionRanges& r) { return r.contradictory(); }

class Linter {
 public:
  Linter(const LoadedPolicy& loaded, const PolicyPlan& plan,
         std::vector<Diagnostic>* out)
      : loaded_(loaded),
        policy_(loaded.policy),
        plan_(plan),
        out_(out),
        constants_(*plan.program) {}

  void Run() {
    UnknownChecks();
    Rules();
    UnusedActions();
    Ladders();
    NegativeMoney();
    UnusedDefinitionsAndAttributes();
  }

 private:
  // The position of the first of `paths` found in the file.
  FileLocation At(std::initializer_list<std::string> paths) const {
    for (const std::string& p : paths) {
      FileLocation at = loaded_.source_map.Field(p);
      if (at.line > 0) return at;
    }
    return {};
  }

  void Warn(absl::string_view check, const Ignores& ignores, FileLocation at,
            absl::string_view element, std::string message) {
    if (Ignored(ignores, check)) return;
    Diagnostic d;
    d.severity = Diagnostic::Severity::kWarning;
    d.file = loaded_.file;
    d.line = at.line;
    d.column = at.column;
    d.element = std::string(element);
    d.message = std::move(message);
    d.check = std::string(check);
    out_->push_back(std::move(d));
  }

  // False, after one "lint-limit" warning, once kMaxLintPairs comparisons
  // were made.
  bool PairBudget(absl::string_view what) {
    if (pairs_ < kMaxLintPairs) {
      ++pairs_;
      return true;
    }
    if (!limit_reported_) {
      limit_reported_ = true;
      Warn("lint-limit", {}, At({"rules", "name"}), "",
           absl::StrCat("lint stopped comparing pairs after ", kMaxLintPairs,
                        " (", what,
                        "); some shadowed rules or money granted beside a "
                        "ladder may not be reported"));
    }
    return false;
  }

  // --- unknown-lint-check ---------------------------------------------------

  void CheckNames(const Ignores& ignores, const std::string& path,
                  absl::string_view element) {
    for (int k = 0; k < ignores.size(); ++k) {
      if (KnownCheck(ignores[k])) continue;
      Warn("unknown-lint-check", {},
           At({absl::StrCat(path, ".lint_ignore[", k, "]"), path}), element,
           absl::StrCat("lint_ignore names no check \"", ignores[k],
                        "\"; the checks are listed in "
                        "docs/policy-language.md#lint"));
    }
  }

  void UnknownChecks() {
    for (int i = 0; i < policy_.actions_size(); ++i) {
      const v1::Action& a = policy_.actions(i);
      if (!a.lint_ignore().empty()) {
        CheckNames(a.lint_ignore(), absl::StrCat("actions[", i, "]"),
                   absl::StrCat("action \"", a.id(), "\""));
      }
    }
    for (int i = 0; i < policy_.definitions_size(); ++i) {
      const v1::Definition& d = policy_.definitions(i);
      if (!d.lint_ignore().empty()) {
        CheckNames(d.lint_ignore(), absl::StrCat("definitions[", i, "]"),
                   absl::StrCat("definition \"", d.name(), "\""));
      }
    }
    for (int i = 0; i < policy_.attributes_size(); ++i) {
      const v1::AttributeDeclaration& a = policy_.attributes(i);
      if (!a.lint_ignore().empty()) {
        CheckNames(a.lint_ignore(), absl::StrCat("attributes[", i, "]"),
                   absl::StrCat("attribute \"", a.name(), "\""));
      }
    }
    for (int i = 0; i < policy_.rules_size(); ++i) {
      const v1::Rule& r = policy_.rules(i);
      if (!r.lint_ignore().empty()) {
        CheckNames(r.lint_ignore(), absl::StrCat("rules[", i, "]"),
                   absl::StrCat("rule \"", r.id(), "\""));
      }
    }
    for (int i = 0; i < policy_.ladders_size(); ++i) {
      const v1::EscalationLadder& l = policy_.ladders(i);
      if (!l.lint_ignore().empty()) {
        CheckNames(l.lint_ignore(), absl::StrCat("ladders[", i, "]"),
                   absl::StrCat("ladder \"", l.id(), "\""));
      }
    }
    for (int i = 0; i < policy_.strike_limits_size(); ++i) {
      const v1::StrikeLimit& s = policy_.strike_limits(i);
      if (!s.lint_ignore().empty()) {
        CheckNames(s.lint_ignore(), absl::StrCat("strike_limits[", i, "]"),
                   absl::StrCat("strike limit \"", s.id(), "\""));
      }
    }
    for (int i = 0; i < policy_.budgets_size(); ++i) {
      const v1::GoodwillBudget& b = policy_.budgets(i);
      if (!b.lint_ignore().empty()) {
        CheckNames(b.lint_ignore(), absl::StrCat("budgets[", i, "]"),
                   absl::StrCat("budget \"", b.id(), "\""));
      }
    }
    for (int i = 0; i < policy_.playbooks_size(); ++i) {
      const v1::RecoveryPlaybook& p = policy_.playbooks(i);
      if (!p.lint_ignore().empty()) {
        CheckNames(p.lint_ignore(), absl::StrCat("playbooks[", i, "]"),
                   absl::StrCat("playbook \"", p.id(), "\""));
      }
    }
  }

  // --- rules: unreachable, shadowed, duplicate, money-outside-ladder ------

  // A rule's identity for duplicate-rule, as numbers: its condition (as a
  // set of conjuncts), priority, weight, `final`, recommendations and
  // vetoes. Equal keys, equal rules (but for id, description and reason).
  static void DuplicateKey(const RulePlan& rule, std::vector<int64_t>* key) {
    key->clear();
    auto add_set = [&](const std::vector<Conjunct>& when) {
      const size_t begin = key->size();
      for (const Conjunct& c : when) key->push_back(c.expr);
      std::sort(key->begin() + begin, key->end());
      key->erase(std::unique(key->begin() + begin, key->end()), key->end());
      key->push_back(-1);  // ExprIds are >= 0: a separator
    };
    add_set(rule.when);
    int64_t weight_bits;
    static_assert(sizeof(weight_bits) == sizeof(rule.weight));
    std::memcpy(&weight_bits, &rule.weight, sizeof(weight_bits));
    key->insert(key->end(), {rule.priority, weight_bits, rule.final ? 1 : 0,
                             static_cast<int64_t>(rule.recommend.size())});
    for (const RecommendationPlan& rec : rule.recommend) {
      key->push_back(rec.action);
      key->push_back(static_cast<int64_t>(rec.params.size()));
      for (const ParamPlan& p : rec.params) {
        // Parameter names: the action's template and amount fix which
        // names there are, but not their order; hash them in.
        key->push_back(static_cast<int64_t>(absl::Hash<std::string>()(p.name)));
        key->push_back(p.expr);
      }
      add_set(rec.when);
    }
    const size_t begin = key->size();
    key->insert(key->end(), rule.veto.begin(), rule.veto.end());
    std::sort(key->begin() + begin, key->end());
  }

  // DuplicateKey hashes parameter names; this makes sure.
  static bool SameParamNames(const RulePlan& a, const RulePlan& b) {
    for (size_t k = 0; k < a.recommend.size(); ++k) {
      const std::vector<ParamPlan>& x = a.recommend[k].params;
      const std::vector<ParamPlan>& y = b.recommend[k].params;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].name != y[i].name) return false;
      }
    }
    return true;
  }

  void Rules() {
    // The final rules, in evaluation order (priority descending).
    std::vector<int> finals;
    for (size_t r = 0; r < plan_.rules.size(); ++r) {
      if (plan_.rules[r].final) finals.push_back(static_cast<int>(r));
    }
    // Ladders by the actions of their rungs.
    absl::flat_hash_map<int, std::vector<std::pair<int, int>>> rung_of;
    for (size_t l = 0; l < plan_.ladders.size(); ++l) {
      const LadderPlan& ladder = plan_.ladders[l];
      for (size_t k = 0; k < ladder.rungs.size(); ++k) {
        int a = ladder.rungs[k].action.action;
        if (a < 0 || !plan_.actions[a].monetary()) continue;
        auto& list = rung_of[a];
        if (list.empty() || list.back().first != static_cast<int>(l)) {
          list.push_back({static_cast<int>(l), static_cast<int>(k)});
        }
      }
    }
    // DuplicateKey -> the first rule with it.
    absl::flat_hash_map<std::vector<int64_t>, int> seen;
    std::vector<int64_t> key;
    ConditionRanges ranges(&constants_);
    for (size_t r = 0; r < plan_.rules.size(); ++r) {
      const RulePlan& rule = plan_.rules[r];
      const v1::Rule& source = policy_.rules(rule.index);
      // Positions and names are only worked out for a warning.
      const std::string path = absl::StrCat("rules[", rule.index, "]");
      auto element = [&] { return absl::StrCat("rule \"", rule.id, "\""); };
      auto when_at = [&] { return At({path + ".when", path + ".id", path}); };
      ranges.Clear();
      ranges.Add(rule.when);
      if (NeverTrue(ranges)) {
        Warn("unreachable-rule", source.lint_ignore(), when_at(), element(),
             absl::StrCat("the rule can never fire: ", ranges.why()));
        continue;
      }
      // Shadowed: a final rule of strictly higher priority (stable order
      // puts them first) fires whenever this one holds, and then stops
      // every candidate of lower priority (rules.cc, RunRules).
      bool shadowed = false;
      for (int f : finals) {
        const RulePlan& final_rule = plan_.rules[f];
        if (final_rule.priority <= rule.priority) break;
        if (!PairBudget("rules against final rules")) break;
        if (!ranges.ImpliesAll(final_rule.when)) continue;
        Warn("shadowed-rule", source.lint_ignore(), when_at(), element(),
             absl::StrCat("the rule never contributes: whenever it holds, "
                          "the final rule \"",
                          final_rule.id, "\" (priority ", final_rule.priority,
                          ", above this rule's ", rule.priority,
                          ") holds too and stops every rule of lower "
                          "priority"));
        shadowed = true;
        break;
      }
      DuplicateKey(rule, &key);
      auto [it, first] = seen.emplace(key, static_cast<int>(r));
      if (!first && SameParamNames(rule, plan_.rules[it->second])) {
        const RulePlan& earlier = plan_.rules[it->second];
        Warn("duplicate-rule", source.lint_ignore(), At({path + ".id", path}),
             element(),
             absl::StrCat("the rule has the same condition, priority, "
                          "weight, recommendations and vetoes as rule \"",
                          earlier.id, "\"; remove one"));
      }
      if (shadowed) continue;
      MoneyOutsideLadder(rule, source, ranges, rung_of, path);
    }
  }

  void MoneyOutsideLadder(
      const RulePlan& rule, const v1::Rule& source,
      const ConditionRanges& ranges,
      const absl::flat_hash_map<int, std::vector<std::pair<int, int>>>& rung_of,
      const std::string& path) {
    for (size_t k = 0; k < rule.recommend.size(); ++k) {
      const RecommendationPlan& rec = rule.recommend[k];
      auto it = rung_of.find(rec.action);
      if (it == rung_of.end()) continue;
      ConditionRanges with_when = ranges;
      with_when.Add(rec.when);
      if (NeverTrue(with_when)) continue;
      for (const auto& [l, rung] : it->second) {
        if (!PairBudget("money-granting rules against ladders")) return;
        const LadderPlan& ladder = plan_.ladders[l];
        if (!with_when.ImpliesAll(ladder.when)) continue;
        const std::string rec_path = absl::StrCat(path, ".recommend[", k, "]");
        Warn("money-outside-ladder", source.lint_ignore(),
             At({rec_path + ".action", rec_path, path}),
             absl::StrCat("rule \"", rule.id, "\""),
             absl::StrCat(
                 "the rule grants \"", plan_.actions[rec.action].id,
                 "\" at once whenever it fires, yet that money is rung ",
                 rung + 1, " of ", ladder.rungs.size(), " of ladder \"",
                 ladder.id,
                 "\", whose condition then holds too: never offer everything "
                 "at once; let the ladder offer it, or narrow the rule"));
        break;  // one warning per recommendation
      }
    }
  }

  // --- unused-action
  // ----------------------------------------------------------

  void UnusedActions() {
    std::vector<bool> recommended(plan_.actions.size(), false);
    auto mark = [&](int a) {
      if (a >= 0 && static_cast<size_t>(a) < recommended.size()) {
        recommended[a] = true;
      }
    };
    auto mark_all = [&](const std::vector<RecommendationPlan>& recs) {
      for (const RecommendationPlan& rec : recs) mark(rec.action);
    };
    for (const RulePlan& rule : plan_.rules) mark_all(rule.recommend);
    for (const LadderPlan& ladder : plan_.ladders) {
      for (const RungPlan& rung : ladder.rungs) mark(rung.action.action);
      mark_all(ladder.exhausted);
    }
    for (const SlaThresholdPlan& threshold : plan_.service_levels.thresholds) {
      mark_all(threshold.recommend);
    }
    for (const StrikePlan& strike : plan_.strikes) {
      mark_all(strike.warning);
      mark_all(strike.at_limit);
    }
    for (const PlaybookPlan& playbook : plan_.playbooks) {
      mark(playbook.apology);
      mark(playbook.fix.action);
      mark_all(playbook.surprise);
      mark_all(playbook.compensation);
    }
    for (const ActionPlan& action : plan_.actions) mark(action.alternative);
    for (size_t a = 0; a < plan_.actions.size(); ++a) {
      if (recommended[a]) continue;
      const std::string path = absl::StrCat("actions[", a, "]");
      Warn("unused-action", policy_.actions(static_cast<int>(a)).lint_ignore(),
           At({path + ".id", path}),
           absl::StrCat("action \"", plan_.actions[a].id, "\""),
           "nothing recommends this action: no rule, rung, strike limit, "
           "playbook or other action's alternative names it (a veto or "
           "suppress only holds it back)");
    }
  }

  // --- unreachable-rung
  // -------------------------------------------------------

  void Ladders() {
    for (size_t l = 0; l < plan_.ladders.size(); ++l) {
      const LadderPlan& ladder = plan_.ladders[l];
      const v1::EscalationLadder& source = policy_.ladders(static_cast<int>(l));
      const Ignores& ignores = source.lint_ignore();
      const std::string path = absl::StrCat("ladders[", l, "]");
      const std::string element = absl::StrCat("ladder \"", ladder.id, "\"");
      const int top = static_cast<int>(ladder.rungs.size());
      ConditionRanges applies(&constants_);
      applies.Add(ladder.when);
      if (NeverTrue(applies)) {
        Warn("unreachable-rung", ignores,
             At({path + ".when", path + ".id", path}), element,
             absl::StrCat("no rung is ever offered: the ladder's condition "
                          "can never hold: ",
                          applies.why()));
        continue;
      }
      // Rules run first: a final rule of higher priority that fires
      // whenever the ladder applies stops every rung (ladder.cc).
      const RulePlan* stopper = nullptr;
      for (const RulePlan& rule : plan_.rules) {
        if (rule.priority <= ladder.priority) break;  // priority descending
        if (!rule.final) continue;
        if (!PairBudget("ladders against final rules")) break;
        if (applies.ImpliesAll(rule.when)) {
          stopper = &rule;
          break;
        }
      }
      if (stopper != nullptr) {
        Warn("unreachable-rung", ignores,
             At({path + ".when", path + ".id", path}), element,
             absl::StrCat("no rung is ever offered: whenever the ladder "
                          "applies, the final rule \"",
                          stopper->id, "\" (priority ", stopper->priority,
                          ", above the ladder's ", ladder.priority,
                          ") holds too and stops it"));
        continue;
      }
      auto rung_path = [&](int k) {  // 1-based
        return absl::StrCat(path, ".rungs[", k - 1, "]");
      };
      // With no rung offered yet, the ladder starts at the highest rung
      // whose entry holds (ladder.cc): a rung whose entry always holds
      // makes every rung below it unreachable.
      int start = 1;
      for (int k = top; k >= 2; --k) {
        const std::vector<Conjunct>& entry = ladder.rungs[k - 1].entry;
        bool always = !entry.empty();
        for (const Conjunct& c : entry) {
          always = always && constants_.AlwaysTrue(c.expr);
        }
        if (always) {
          start = k;
          break;
        }
      }
      for (int k = 1; k < start; ++k) {
        Warn("unreachable-rung", ignores, At({rung_path(k), path}), element,
             absl::StrCat("rung ", k,
                          " is never offered: the entry condition "
                          "of rung ",
                          start, " always holds, so the ladder starts there"));
      }
      bool reached = true;  // rung `k` can be the next one
      int blocked_by = 0;   // the rung the ladder cannot climb past
      for (int k = start; k <= top; ++k) {
        const RungPlan& rung = ladder.rungs[k - 1];
        bool entry_possible = false;
        if (!rung.entry.empty()) {
          ConditionRanges entry = applies;
          entry.Add(rung.entry);
          entry_possible = !NeverTrue(entry);
          if (!entry_possible) {
            Warn("unreachable-rung", ignores,
                 At({rung_path(k) + ".entry", rung_path(k), path}), element,
                 absl::StrCat("the entry condition of rung ", k,
                              " can never hold while the ladder applies: ",
                              entry.why()));
          }
        }
        if (k > start && !reached && !entry_possible) {
          Warn("unreachable-rung", ignores, At({rung_path(k), path}), element,
               absl::StrCat("rung ", k,
                            " is never offered: the ladder never climbs "
                            "past rung ",
                            blocked_by,
                            " and this rung has no entry condition that can "
                            "hold"));
          continue;
        }
        reached = true;
        ConditionRanges offer = applies;
        offer.Add(rung.action.when);
        const bool offerable = !NeverTrue(offer);
        if (!offerable) {
          Warn("unreachable-rung", ignores,
               At({rung_path(k) + ".action.when", rung_path(k), path}), element,
               absl::StrCat("rung ", k,
                            " is never offered: its action's condition can "
                            "never hold while the ladder applies: ",
                            offer.why()));
        }
        // A rung excluded by the contract is skipped to the next one.
        const int action = rung.action.action;
        const bool may_skip = plan_.entitlements.suppress && action >= 0 &&
                              !plan_.actions[action].requires_features.empty();
        if (!offerable && !may_skip) {
          reached = false;
          blocked_by = k;
        }
      }
    }
  }

  // --- negative-money
  // ---------------------------------------------------------

  void Amounts(const std::vector<RecommendationPlan>& recs,
               const std::string& prefix, const Ignores& ignores,
               absl::string_view element) {
    for (size_t k = 0; k < recs.size(); ++k) {
      Amount(recs[k], prefix, static_cast<int>(k), ignores, element);
    }
  }

  // The reference at `prefix` (`index` < 0) or `prefix[index]`.
  void Amount(const RecommendationPlan& rec, const std::string& prefix,
              int index, const Ignores& ignores, absl::string_view element) {
    if (rec.action < 0 || !plan_.actions[rec.action].monetary()) return;
    const ActionPlan& action = plan_.actions[rec.action];
    for (const ParamPlan& p : rec.params) {
      if (p.name != action.amount_param) continue;
      Value v;
      if (!constants_.Fold(p.expr, &v) || !IsNegative(v)) continue;
      const std::string path =
          index < 0 ? prefix : absl::StrCat(prefix, "[", index, "]");
      const std::string param_path =
          absl::StrCat(path, ".params[", p.name, "]");
      Warn("negative-money", ignores, At({param_path, path}), element,
           absl::StrCat("the amount of \"", action.id, "\" (`", p.source,
                        "`) is always ", FormatValue(v),
                        ", below zero: a grant cannot be negative"));
    }
  }

  static bool IsNegative(const Value& v) {
    return (v.type == ValueType::kInt && v.int_value < 0) ||
           (v.type == ValueType::kDouble && v.double_value < 0);
  }

  void NegativeMoney() {
    for (const RulePlan& rule : plan_.rules) {
      bool monetary = false;
      for (const RecommendationPlan& rec : rule.recommend) {
        monetary = monetary ||
                   (rec.action >= 0 && plan_.actions[rec.action].monetary());
      }
      if (!monetary) continue;
      const std::string path = absl::StrCat("rules[", rule.index, "]");
      Amounts(rule.recommend, path + ".recommend",
              policy_.rules(rule.index).lint_ignore(),
              absl::StrCat("rule \"", rule.id, "\""));
    }
    for (size_t l = 0; l < plan_.ladders.size(); ++l) {
      const LadderPlan& ladder = plan_.ladders[l];
      const std::string path = absl::StrCat("ladders[", l, "]");
      const Ignores& ignores =
          policy_.ladders(static_cast<int>(l)).lint_ignore();
      const std::string element = absl::StrCat("ladder \"", ladder.id, "\"");
      for (size_t k = 0; k < ladder.rungs.size(); ++k) {
        Amount(ladder.rungs[k].action,
               absl::StrCat(path, ".rungs[", k, "].action"), -1, ignores,
               element);
      }
      Amounts(ladder.exhausted, path + ".exhausted", ignores, element);
    }
    for (size_t s = 0; s < plan_.strikes.size(); ++s) {
      const StrikePlan& strike = plan_.strikes[s];
      const std::string path = absl::StrCat("strike_limits[", s, "]");
      const Ignores& ignores =
          policy_.strike_limits(static_cast<int>(s)).lint_ignore();
      const std::string element =
          absl::StrCat("strike limit \"", strike.id, "\"");
      Amounts(strike.warning, path + ".warning", ignores, element);
      Amounts(strike.at_limit, path + ".at_limit", ignores, element);
    }
    for (size_t p = 0; p < plan_.playbooks.size(); ++p) {
      const PlaybookPlan& playbook = plan_.playbooks[p];
      const std::string path = absl::StrCat("playbooks[", p, "]");
      const Ignores& ignores =
          policy_.playbooks(static_cast<int>(p)).lint_ignore();
      const std::string element =
          absl::StrCat("playbook \"", playbook.id, "\"");
      Amount(playbook.fix, path + ".fix", -1, ignores, element);
      Amounts(playbook.surprise, path + ".surprise", ignores, element);
      Amounts(playbook.compensation, path + ".compensation", ignores, element);
    }
    for (size_t b = 0; b < plan_.budgets.size(); ++b) {
      const BudgetPlan& budget = plan_.budgets[b];
      const v1::GoodwillBudget& source = policy_.budgets(static_cast<int>(b));
      const std::string path = absl::StrCat("budgets[", b, "]");
      const std::string element = absl::StrCat("budget \"", source.id(), "\"");
      const std::pair<ExprId, const char*> caps[] = {
          {budget.per_window, "per_window"}, {budget.per_case, "per_case"}};
      for (const auto& [expr, field] : caps) {
        Value v;
        if (expr < 0 || !constants_.Fold(expr, &v) || !IsNegative(v)) continue;
        Warn("negative-money", source.lint_ignore(),
             At({absl::StrCat(path, ".", field), path}), element,
             absl::StrCat("the cap ", field, " is always ", FormatValue(v),
                          ", below zero: the budget never grants anything "
                          "(a negative cap counts as 0)"));
      }
    }
  }

  // --- unused-definition, unused-attribute
  // ------------------------------------

  void UnusedDefinitionsAndAttributes() {
    const Program::Usage& usage = constants_.usage();
    absl::flat_hash_map<std::string, bool> definition_used;
    for (const auto& [name, used] : usage.definitions) {
      definition_used[name] = used;
    }
    for (int i = 0; i < policy_.definitions_size(); ++i) {
      const v1::Definition& d = policy_.definitions(i);
      auto it = definition_used.find(d.name());
      if (it == definition_used.end() || it->second) continue;
      const std::string path = absl::StrCat("definitions[", i, "]");
      Warn("unused-definition", d.lint_ignore(), At({path + ".name", path}),
           absl::StrCat("definition \"", d.name(), "\""),
           "no expression uses this definition (no condition, amount, "
           "parameter, cap or other definition names it)");
    }
    absl::flat_hash_map<std::string, bool> attribute_read;
    for (const auto& [name, read] : usage.attributes) {
      attribute_read[name] = read;
    }
    for (int i = 0; i < policy_.attributes_size(); ++i) {
      const v1::AttributeDeclaration& a = policy_.attributes(i);
      auto it = attribute_read.find(a.name());
      if (it == attribute_read.end() || it->second) continue;
      const std::string path = absl::StrCat("attributes[", i, "]");
      Warn("unused-attribute", a.lint_ignore(), At({path + ".name", path}),
           absl::StrCat("attribute \"", a.name(), "\""),
           absl::StrCat("no expression reads attributes.", a.name(),
                        "; remove the declaration, or use it"));
    }
  }

  const LoadedPolicy& loaded_;
  const v1::Policy& policy_;
  const PolicyPlan& plan_;
  std::vector<Diagnostic>* out_;
  ConstantValues constants_;
  int64_t pairs_ = 0;
  bool limit_reported_ = false;
};

}  // namespace

void LintPolicy(const LoadedPolicy& loaded, const PolicyPlan& plan,
                std::vector<Diagnostic>* diagnostics) {
  Linter(loaded, plan, diagnostics).Run();
}

}  // namespace tact::internal
