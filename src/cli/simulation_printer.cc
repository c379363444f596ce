#include "src/cli/simulation_printer.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/common/json_string.h"

namespace tact::cli {

using ::tact::internal::JsonString;
namespace {

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "0.0%";
  return absl::StrFormat(
      "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string Rate(int64_t part, int64_t whole) {
  return absl::StrCat(part, " (", Percent(part, whole), ")");
}

std::string TopActions(const std::vector<std::string>& actions) {
  if (actions.empty()) return "(none)";
  std::vector<std::string> top(
      actions.begin(), actions.begin() + std::min<size_t>(3, actions.size()));
  std::string s = absl::StrJoin(top, ", ");
  if (actions.size() > 3) absl::StrAppend(&s, ", ...");
  return s;
}

// One row: the label, then `a` and, when given, `b`.
void Line(std::ostream& out, const std::string& label, const std::string& a,
          const std::string* b) {
  out << absl::StrFormat("  %-34s %18s", label, a);
  if (b != nullptr) out << absl::StrFormat("  %18s", *b);
  out << "\n";
}

int64_t Get(const std::map<std::string, int64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

std::set<std::string> Keys(const std::map<std::string, int64_t>& a,
                           const std::map<std::string, int64_t>& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  return keys;
}

std::string BlockedText(const ActionTally& t) {
  if (t.blocked.empty()) return "0";
  std::vector<std::string> parts;
  for (const auto& [code, n] : t.blocked)
    parts.push_back(absl::StrCat(n, " ", code));
  return absl::StrJoin(parts, ", ");
}

// The cost to serve of `s` (and `b` beside it when not null): total, agent
// minutes, by tier and by value band, as the goodwill section.
void PrintCostToServe(const SimulationSummary& s, const SimulationSummary* b,
                      std::ostream& out) {
  auto money = [&](const SimulationSummary& x, int64_t v) {
    return FormatMinorUnits(v, x.currency.empty() ? s.currency : x.currency);
  };
  auto row = [&](const std::string& label, auto value_of) {
    std::string a = value_of(s);
    if (b == nullptr) return Line(out, label, a, nullptr);
    std::string bv = value_of(*b);
    Line(out, label, bv, &a);  // baseline first: before -> after
  };
  out << "\nCost to serve (action costs)\n";
  auto costless = [](const SimulationSummary& x) {
    return x.cost_to_serve_total == 0 && x.agent_minutes_total == 0;
  };
  if (costless(s) && (b == nullptr || costless(*b))) {
    out << "  (no recommended action has a cost)\n";
    return;
  }
  row("total", [&](const SimulationSummary& x) {
    return money(x, x.cost_to_serve_total);
  });
  row("agent minutes", [](const SimulationSummary& x) {
    return absl::StrCat(x.agent_minutes_total);
  });
  row("cases with a cost", [](const SimulationSummary& x) {
    return Rate(x.cases_with_cost, x.cases);
  });
  for (const std::string& tier :
       Keys(s.cost_to_serve_by_tier,
            b ? b->cost_to_serve_by_tier : s.cost_to_serve_by_tier)) {
    row(absl::StrCat("tier ", tier), [&](const SimulationSummary& x) {
      return money(x, Get(x.cost_to_serve_by_tier, tier));
    });
  }
  for (const ValueBand& band : kValueBands) {
    row(absl::StrCat("lifetime value ", band.key),
        [&](const SimulationSummary& x) {
          return money(x, Get(x.cost_to_serve_by_value_band, band.key));
        });
  }
}

// The customers whose cost to serve exceeds the stated share of their
// spend (--cost-share), the first kMaxCostlyShown of them.
void PrintCostlyCustomers(const Simulation& sim, std::ostream& out) {
  constexpr int64_t kMaxCostlyShown = 20;
  if (!sim.has_cost_share) return;
  const std::string& cur = sim.summary.currency;
  out << "\nCost to serve above "
      << absl::StrFormat("%g", sim.cost_share_percent)
      << "% of spend (lifetime value): " << sim.costly_count << " customers\n";
  int64_t shown = 0;
  for (const CostlyCustomer& c : sim.costly) {
    if (shown++ == kMaxCostlyShown) break;
    out << "  line " << c.line << " customer "
        << (c.customer_id.empty() ? "-" : c.customer_id) << " case "
        << (c.case_id.empty() ? "-" : c.case_id) << ": "
        << FormatMinorUnits(c.cost_to_serve, cur) << " ("
        << FormatMinorUnits(c.history_cost, cur) << " spent + "
        << FormatMinorUnits(c.decision_cost, cur) << " now) of "
        << FormatMinorUnits(c.spend, cur) << " spend = "
        << (c.spend > 0 ? Percent(c.cost_to_serve, c.spend) : "all") << "\n";
  }
  const int64_t printed = std::min<int64_t>(
      kMaxCostlyShown, static_cast<int64_t>(sim.costly.size()));
  if (sim.costly_count > printed) {
    out << "  ... " << (sim.costly_count - printed)
        << " more (see --json or --report)\n";
  }
}

void PrintServiceLevels(const SimulationSummary& s, const SimulationSummary* b,
                        std::ostream& out);

// Prints the totals of `s`, and of `b` beside them when not null.
void PrintTotals(const SimulationSummary& s, const SimulationSummary* b,
                 const Simulation& sim, std::ostream& out) {
  const std::string& cur = s.currency;
  auto money = [&](const SimulationSummary& x, int64_t v) {
    return FormatMinorUnits(v, x.currency.empty() ? cur : x.currency);
  };
  auto row = [&](const std::string& label, auto value_of) {
    std::string a = value_of(s);
    if (b == nullptr) {
      Line(out, label, a, nullptr);
    } else {
      std::string bv = value_of(*b);
      Line(out, label, bv, &a);  // baseline first: before -> after
    }
  };
  if (b != nullptr) {
    // Labels too wide for a column (file names) are in the first line.
    const bool fit =
        sim.policy_label.size() <= 18 && sim.baseline_label.size() <= 18;
    const std::string after = fit ? sim.policy_label : "policy";
    Line(out, "", fit ? sim.baseline_label : "baseline", &after);
  }
  row("cases decided",
      [](const SimulationSummary& x) { return absl::StrCat(x.cases); });

  out << "\nActions (recommended / needs approval / blocked)\n";
  std::set<std::string> actions;
  for (const auto& [k, v] : s.actions) actions.insert(k);
  if (b != nullptr) {
    for (const auto& [k, v] : b->actions) actions.insert(k);
  }
  for (const std::string& a : actions) {
    row(a, [&](const SimulationSummary& x) {
      auto it = x.actions.find(a);
      ActionTally t = it == x.actions.end() ? ActionTally{} : it->second;
      return absl::StrCat(t.recommended, " / ", t.needs_approval, " / ",
                          BlockedText(t));
    });
  }

  out << "\nGoodwill recommended\n";
  row("total",
      [&](const SimulationSummary& x) { return money(x, x.goodwill_total); });
  row("cases with goodwill", [](const SimulationSummary& x) {
    return Rate(x.cases_with_goodwill, x.cases);
  });
  for (const std::string& tier :
       Keys(s.goodwill_by_tier, b ? b->goodwill_by_tier : s.goodwill_by_tier)) {
    row(absl::StrCat("tier ", tier), [&](const SimulationSummary& x) {
      return money(x, Get(x.goodwill_by_tier, tier));
    });
  }
  for (const ValueBand& band : kValueBands) {
    row(absl::StrCat("lifetime value ", band.key),
        [&](const SimulationSummary& x) {
          return money(x, Get(x.goodwill_by_value_band, band.key));
        });
  }
  row("budget exhausted (cases)", [](const SimulationSummary& x) {
    return Rate(x.budget_exhausted_cases, x.cases);
  });
  PrintCostToServe(s, b, out);

  out << "\nStrikes\n";
  row("strikes recorded", [](const SimulationSummary& x) {
    return absl::StrCat(x.strikes_recorded);
  });
  row("warnings (limit - 1)", [](const SimulationSummary& x) {
    return Rate(x.strike_warnings, x.cases);
  });
  row("strike-outs (at limit)",
      [](const SimulationSummary& x) { return Rate(x.strike_outs, x.cases); });

  out << "\nEscalation ladders (rung offered)\n";
  std::set<std::pair<std::string, int64_t>> rungs;
  for (const auto& [ladder, steps] : s.rungs) {
    for (const auto& [step, n] : steps) rungs.insert({ladder, step});
  }
  if (b != nullptr) {
    for (const auto& [ladder, steps] : b->rungs) {
      for (const auto& [step, n] : steps) rungs.insert({ladder, step});
    }
  }
  if (rungs.empty()) out << "  (none)\n";
  for (const auto& [ladder, step] : rungs) {
    row(absl::StrCat(ladder, " rung ", step),
        [&, l = ladder, st = step](const SimulationSummary& x) {
          auto it = x.rungs.find(l);
          if (it == x.rungs.end()) return std::string("0");
          auto jt = it->second.find(st);
          return absl::StrCat(jt == it->second.end() ? 0 : jt->second);
        });
  }

  out << "\nRecovery playbooks\n";
  row("cases in recovery", [](const SimulationSummary& x) {
    return Rate(x.recovery_cases, x.cases);
  });
  for (const std::string& stage :
       Keys(s.recovery_steps, b ? b->recovery_steps : s.recovery_steps)) {
    row(absl::StrCat("step ", stage), [&](const SimulationSummary& x) {
      return absl::StrCat(Get(x.recovery_steps, stage));
    });
  }
  row("recovery window missed", [](const SimulationSummary& x) {
    return Rate(x.recovery_window_missed, x.recovery_cases);
  });

  out << "\nBeyond the contract\n";
  row("actions", [](const SimulationSummary& x) {
    return absl::StrCat(x.beyond_contract_actions);
  });
  row("cost", [&](const SimulationSummary& x) {
    return money(x, x.beyond_contract_cost);
  });
  for (const std::string& a :
       Keys(s.beyond_contract_by_action,
            b ? b->beyond_contract_by_action : s.beyond_contract_by_action)) {
    row(a, [&](const SimulationSummary& x) {
      return absl::StrCat(Get(x.beyond_contract_by_action, a));
    });
  }
  PrintServiceLevels(s, b, out);
}

ServiceLevelTally TallyOf(const TierServiceLevels& row,
                          const std::string& target) {
  auto it = row.targets.find(target);
  return it == row.targets.end() ? ServiceLevelTally{} : it->second;
}

std::string Attainment(const ServiceLevelTally& t) {
  return FormatPercentTenths(PercentTenths(t.within(), t.measured));
}

std::string BeyondShare(const TierServiceLevels& row) {
  return absl::StrCat(
      row.beyond_contract_cases, " of ", row.cases, " (",
      FormatPercentTenths(PercentTenths(row.beyond_contract_cases, row.cases)),
      ")");
}

// Service levels, when a decision of either side carried them: per tier
// and target the states counted and the attainment, then all tiers; and
// the cases served beyond the contracted level per tier. With a baseline,
// both sides' attainment side by side instead of the counts.
void PrintServiceLevels(const SimulationSummary& s, const SimulationSummary* b,
                        std::ostream& out) {
  const ServiceLevelSummary* bs = b ? &b->service_levels : nullptr;
  const std::vector<std::string> targets =
      ServiceLevelTargets(s.service_levels, bs);
  if (targets.empty()) return;
  std::set<std::string> tiers;
  for (const auto& [tier, row] : s.service_levels.by_tier) tiers.insert(tier);
  if (bs) {
    for (const auto& [tier, row] : bs->by_tier) tiers.insert(tier);
  }
  auto row_of = [](const ServiceLevelSummary& x, const std::string& tier) {
    auto it = x.by_tier.find(tier);
    return it == x.by_tier.end() ? TierServiceLevels{} : it->second;
  };
  const std::string kAll = "all tiers";
  out << "\nService levels (attainment: met, ok or at risk, of the cases "
         "measured)\n";
  if (bs != nullptr) {
    auto both = [&](const std::string& label, auto value_of) {
      std::string after = value_of(s.service_levels);
      Line(out, label, value_of(*bs), &after);  // baseline first
    };
    for (const std::string& tier : tiers) {
      for (const std::string& target : targets) {
        both(absl::StrCat("tier ", tier, " ", target),
             [&](const ServiceLevelSummary& x) {
               ServiceLevelTally t = TallyOf(row_of(x, tier), target);
               return absl::StrCat(Attainment(t), " of ", t.measured);
             });
      }
    }
    for (const std::string& target : targets) {
      both(absl::StrCat(kAll, " ", target), [&](const ServiceLevelSummary& x) {
        ServiceLevelTally t = TallyOf(x.total, target);
        return absl::StrCat(Attainment(t), " of ", t.measured);
      });
    }
    out << "Served beyond the contracted level (cases)\n";
    for (const std::string& tier : tiers) {
      both(absl::StrCat("tier ", tier), [&](const ServiceLevelSummary& x) {
        return BeyondShare(row_of(x, tier));
      });
    }
    both(kAll,
         [&](const ServiceLevelSummary& x) { return BeyondShare(x.total); });
    return;
  }
  size_t tier_width = std::max<size_t>(4, kAll.size());
  for (const std::string& tier : tiers)
    tier_width = std::max(tier_width, tier.size());
  size_t target_width = 6;
  for (const std::string& target : targets)
    target_width = std::max(target_width, target.size());
  auto print = [&](const std::string& tier, const std::string& target,
                   const ServiceLevelTally& t) {
    out << absl::StrFormat("  %-*s  %-*s  %8d  %6d  %6d  %7d  %8d  %6d  %10s\n",
                           tier_width, tier, target_width, target, t.measured,
                           t.met, t.ok, t.at_risk, t.breached, t.missed,
                           Attainment(t));
  };
  out << absl::StrFormat("  %-*s  %-*s  %8s  %6s  %6s  %7s  %8s  %6s  %10s\n",
                         tier_width, "tier", target_width, "target", "measured",
                         "met", "ok", "at_risk", "breached", "missed",
                         "attainment");
  for (const std::string& tier : tiers) {
    const TierServiceLevels& row = s.service_levels.by_tier.at(tier);
    for (const std::string& target : targets) {
      print(tier, target, TallyOf(row, target));
    }
  }
  for (const std::string& target : targets) {
    print(kAll, target, TallyOf(s.service_levels.total, target));
  }
  out << "Served beyond the contracted level (cases with an action tagged "
         "beyond_contract)\n";
  for (const std::string& tier : tiers) {
    Line(out, absl::StrCat("tier ", tier),
         BeyondShare(s.service_levels.by_tier.at(tier)), nullptr);
  }
  Line(out, kAll, BeyondShare(s.service_levels.total), nullptr);
}

// A share in tenths of a percent as a JSON number, or null.
std::string JsonTenths(int64_t tenths) {
  if (tenths < 0) return "null";
  return absl::StrCat(tenths / 10, ".", tenths % 10);
}

// A row of the service levels (a tier or the total) as JSON.
std::string ServiceLevelRowJson(const TierServiceLevels& row,
                                const std::vector<std::string>& targets) {
  std::string j = absl::StrCat(
      "{\"cases\": ", row.cases,
      ", \"beyond_contract_cases\": ", row.beyond_contract_cases,
      ", \"beyond_contract_share\": ",
      JsonTenths(PercentTenths(row.beyond_contract_cases, row.cases)),
      ", \"targets\": {");
  bool first = true;
  for (const std::string& target : targets) {
    const ServiceLevelTally t = TallyOf(row, target);
    absl::StrAppend(&j, first ? "" : ", ", JsonString(target),
                    ": {\"measured\": ", t.measured, ", \"met\": ", t.met,
                    ", \"ok\": ", t.ok, ", \"at_risk\": ", t.at_risk,
                    ", \"breached\": ", t.breached, ", \"missed\": ", t.missed,
                    ", \"attainment\": ",
                    JsonTenths(PercentTenths(t.within(), t.measured)), "}");
    first = false;
  }
  j.append("}}");
  return j;
}

// The service levels after a comma, when a decision carried any:
// "service_levels": {"targets", "by_tier": {tier: row}, "total": row}.
void AppendServiceLevelsJson(const ServiceLevelSummary& s, std::string* j) {
  if (s.targets.empty()) return;
  std::vector<std::string> quoted;
  for (const std::string& t : s.targets) quoted.push_back(JsonString(t));
  absl::StrAppend(j, ", \"service_levels\": {\"targets\": [",
                  absl::StrJoin(quoted, ", "), "], \"by_tier\": {");
  bool first = true;
  for (const auto& [tier, row] : s.by_tier) {
    absl::StrAppend(j, first ? "" : ", ", JsonString(tier), ": ",
                    ServiceLevelRowJson(row, s.targets));
    first = false;
  }
  absl::StrAppend(j, "}, \"total\": ", ServiceLevelRowJson(s.total, s.targets),
                  "}");
}

void AppendMap(std::string* out, const std::map<std::string, int64_t>& m) {
  out->append("{");
  bool first = true;
  for (const auto& [k, v] : m) {
    absl::StrAppend(out, first ? "" : ", ", JsonString(k), ": ", v);
    first = false;
  }
  out->append("}");
}

// The cost-to-serve fields of a summary, each after a comma.
void AppendCostJson(const SimulationSummary& s, std::string* j) {
  absl::StrAppend(j, ", \"cost_to_serve_total\": ", s.cost_to_serve_total,
                  ", \"agent_minutes_total\": ", s.agent_minutes_total,
                  ", \"cases_with_cost\": ", s.cases_with_cost,
                  ", \"cost_to_serve_by_tier\": ");
  AppendMap(j, s.cost_to_serve_by_tier);
  j->append(", \"cost_to_serve_by_value_band\": ");
  AppendMap(j, s.cost_to_serve_by_value_band);
}

// The cost-share list, after a comma: {"percent", "count", "first": [...]}.
void AppendCostlyJson(const Simulation& sim, std::string* j) {
  absl::StrAppend(j, ",\n  \"cost_share\": {\"percent\": ",
                  absl::StrFormat("%g", sim.cost_share_percent),
                  ", \"count\": ", sim.costly_count, ", \"first\": [");
  bool first = true;
  for (const CostlyCustomer& c : sim.costly) {
    absl::StrAppend(j, first ? "\n    " : ",\n    ", "{\"line\": ", c.line,
                    ", \"customer_id\": ", JsonString(c.customer_id),
                    ", \"case_id\": ", JsonString(c.case_id),
                    ", \"spend\": ", c.spend,
                    ", \"decision_cost\": ", c.decision_cost,
                    ", \"history_cost\": ", c.history_cost,
                    ", \"cost_to_serve\": ", c.cost_to_serve, "}");
    first = false;
  }
  j->append("]}");
}

std::string SummaryJson(const SimulationSummary& s) {
  std::string j = "{";
  absl::StrAppend(&j, "\"policy\": ", JsonString(s.policy_name),
                  ", \"version\": ", JsonString(s.policy_version),
                  ", \"currency\": ", JsonString(s.currency),
                  ", \"cases\": ", s.cases, ", \"actions\": {");
  bool first = true;
  for (const auto& [action, t] : s.actions) {
    absl::StrAppend(&j, first ? "" : ", ", JsonString(action),
                    ": {\"recommended\": ", t.recommended,
                    ", \"needs_approval\": ", t.needs_approval,
                    ", \"blocked\": ");
    AppendMap(&j, t.blocked);
    j.append("}");
    first = false;
  }
  absl::StrAppend(&j, "}, \"goodwill_total\": ", s.goodwill_total,
                  ", \"goodwill_by_tier\": ");
  AppendMap(&j, s.goodwill_by_tier);
  j.append(", \"goodwill_by_value_band\": ");
  AppendMap(&j, s.goodwill_by_value_band);
  absl::StrAppend(&j, ", \"cases_with_goodwill\": ", s.cases_with_goodwill,
                  ", \"budget_exhausted_cases\": ", s.budget_exhausted_cases,
                  ", \"strikes_recorded\": ", s.strikes_recorded,
                  ", \"strike_warnings\": ", s.strike_warnings,
                  ", \"strike_outs\": ", s.strike_outs, ", \"rungs\": {");
  first = true;
  for (const auto& [ladder, steps] : s.rungs) {
    absl::StrAppend(&j, first ? "" : ", ", JsonString(ladder), ": {");
    bool first_step = true;
    for (const auto& [step, n] : steps) {
      absl::StrAppend(&j, first_step ? "" : ", ", "\"", step, "\": ", n);
      first_step = false;
    }
    j.append("}");
    first = false;
  }
  absl::StrAppend(&j, "}, \"recovery_cases\": ", s.recovery_cases,
                  ", \"recovery_steps\": ");
  AppendMap(&j, s.recovery_steps);
  absl::StrAppend(&j,
                  ", \"recovery_window_missed\": ", s.recovery_window_missed,
                  ", \"beyond_contract_actions\": ", s.beyond_contract_actions,
                  ", \"beyond_contract_cost\": ", s.beyond_contract_cost,
                  ", \"beyond_contract_by_action\": ");
  AppendMap(&j, s.beyond_contract_by_action);
  AppendCostJson(s, &j);
  AppendServiceLevelsJson(s.service_levels, &j);
  j.append("}");
  return j;
}

std::string StringList(const std::vector<std::string>& v) {
  std::vector<std::string> quoted;
  for (const std::string& s : v) quoted.push_back(JsonString(s));
  return absl::StrCat("[", absl::StrJoin(quoted, ", "), "]");
}

// The diff's totals: changed cases and money per kind, goodwill delta,
// cases where money moved or actions changed.
void PrintChangeKinds(const Simulation& sim, std::ostream& out) {
  const std::string& cur = sim.summary.currency;
  for (const auto& [kind, tally] : sim.changes_by_kind) {
    if (tally.cases == 0) continue;
    out << absl::StrFormat(
        "  %-34s %18s", ChangeKindName(kind),
        absl::StrCat(tally.cases, tally.cases == 1 ? " case" : " cases"));
    if (tally.money_overflow) {
      out << "  overflow";
    } else if (tally.money != 0) {
      out << "  " << MoneyDelta(tally.money, cur);
    }
    out << "\n";
  }
  out << "  goodwill "
      << (sim.currency_changed          ? "not compared (the currency changed)"
          : sim.goodwill_delta_overflow ? "overflow"
                                        : MoneyDelta(sim.goodwill_delta, cur))
      << " (policy - baseline); money moved in " << sim.money_changed_count
      << ", actions changed in " << sim.actions_changed_count << "\n";
}

// The diff fields of "changed" (after "count").
std::string DiffJson(const Simulation& sim) {
  std::string j = absl::StrCat(
      ", \"policy_label\": ", JsonString(sim.policy_label),
      ", \"baseline_label\": ", JsonString(sim.baseline_label),
      ", \"goodwill_delta\": ", sim.goodwill_delta,
      ", \"money_changed\": ", sim.money_changed_count,
      ", \"actions_changed\": ", sim.actions_changed_count,
      sim.undecidable_count > 0
          ? absl::StrCat(", \"undecidable\": ", sim.undecidable_count)
          : "",
      sim.goodwill_delta_overflow ? ", \"goodwill_delta_overflow\": true" : "",
      sim.currency_changed ? ", \"currency_changed\": true" : "",
      ", \"by_kind\": {");
  bool first = true;
  for (const auto& [kind, tally] : sim.changes_by_kind) {
    absl::StrAppend(
        &j, first ? "" : ", ", "\"", ChangeKindName(kind),
        "\": {\"cases\": ", tally.cases, ", \"money\": ", tally.money,
        tally.money_overflow ? ", \"money_overflow\": true" : "", "}");
    first = false;
  }
  j.append("}");
  return j;
}

// A changed case's diff fields (after "reasons").
std::string ChangedCaseJson(const ChangedCase& c) {
  std::vector<std::string> kinds, changes;
  for (ChangeKind kind : c.kinds) {
    kinds.push_back(JsonString(ChangeKindName(kind)));
  }
  for (const Change& change : c.changes) {
    changes.push_back(absl::StrCat("{\"kind\": \"", ChangeKindName(change.kind),
                                   "\", \"text\": ", JsonString(change.text),
                                   ", \"money\": ", change.money, "}"));
  }
  return absl::StrCat(", \"kinds\": [", absl::StrJoin(kinds, ", "),
                      "], \"changes\": [", absl::StrJoin(changes, ", "),
                      "], \"goodwill_delta\": ", c.goodwill_delta);
}

}  // namespace

std::string FormatPercentTenths(int64_t tenths) {
  if (tenths < 0) return "n/a";
  return absl::StrCat(tenths / 10, ".", tenths % 10, "%");
}

std::vector<std::string> ServiceLevelTargets(const ServiceLevelSummary& s,
                                             const ServiceLevelSummary* b) {
  std::vector<std::string> targets = s.targets;
  if (b == nullptr) return targets;
  for (const std::string& t : b->targets) {
    if (std::find(targets.begin(), targets.end(), t) == targets.end()) {
      targets.push_back(t);
    }
  }
  return targets;
}

std::string MoneyDelta(int64_t minor_units, const std::string& currency) {
  return absl::StrCat(minor_units > 0 ? "+" : "",
                      FormatMinorUnits(minor_units, currency));
}

std::string FormatMinorUnits(int64_t minor_units, const std::string& currency) {
  return ::tact::FormatMinorUnits(minor_units, currency);
}

std::string CaseErrorText(const CaseError& error) {
  switch (error.stage) {
    case CaseError::Stage::kParse:
      return absl::StrCat("cannot parse: ", error.message);
    case CaseError::Stage::kDecide:
      return absl::StrCat("cannot decide: ", error.message);
    case CaseError::Stage::kBaselineDecide:
      return absl::StrCat("baseline cannot decide: ", error.message);
  }
  return error.message;
}

void PrintSimulationText(const Simulation& sim, std::ostream& out,
                         int max_changes) {
  const SimulationSummary& s = sim.summary;
  out << "Simulated " << sim.lines << " cases with ";
  if (sim.has_baseline) {
    out << sim.policy_label << " against baseline " << sim.baseline_label;
  } else {
    out << s.policy_name << "@" << s.policy_version;
  }
  out << ": " << s.cases << " decided, " << sim.error_count
      << " could not be decided.\n";
  if (sim.has_baseline && sim.currency_changed) {
    out << "currency changed: " << sim.baseline.currency << " -> " << s.currency
        << " (money deltas are not computed across currencies)\n";
  }
  out << "\n";
  PrintTotals(s, sim.has_baseline ? &sim.baseline : nullptr, sim, out);
  if (sim.has_baseline) {
    // Of the cases at least one side decided.
    out << "\nChanged decisions: "
        << Rate(sim.changed_count, s.cases + sim.undecidable_count) << "\n";
    PrintChangeKinds(sim, out);
    int shown = 0;
    for (const ChangedCase& c : sim.changed) {
      if (shown++ == max_changes) {
        out << "  ... " << (sim.changed_count - max_changes)
            << " more (see --json or --report)\n";
        break;
      }
      out << "  line " << c.line << " case "
          << (c.case_id.empty() ? "-" : c.case_id) << ": "
          << TopActions(c.before) << " -> " << TopActions(c.after) << "\n";
      for (const Change& change : c.changes) {
        out << "      " << change.text << "\n";
      }
    }
  }
  PrintCostlyCustomers(sim, out);
  if (sim.error_count > 0) {
    out << "\nCases that could not be decided: " << sim.error_count << "\n";
    for (const CaseError& e : sim.errors) {
      out << "  line " << e.line << ": " << CaseErrorText(e) << "\n";
    }
    if (sim.error_count > static_cast<int64_t>(sim.errors.size())) {
      out << "  ... "
          << (sim.error_count - static_cast<int64_t>(sim.errors.size()))
          << " more\n";
    }
  }
}

std::string SimulationToJson(const Simulation& sim) {
  std::string j = absl::StrCat("{\n  \"lines\": ", sim.lines,
                               ",\n  \"errors\": {\"count\": ", sim.error_count,
                               ", \"first\": [");
  bool first = true;
  for (const CaseError& e : sim.errors) {
    absl::StrAppend(&j, first ? "" : ", ", "{\"line\": ", e.line,
                    ", \"message\": ", JsonString(CaseErrorText(e)), "}");
    first = false;
  }
  absl::StrAppend(&j, "]},\n  \"summary\": ", SummaryJson(sim.summary));
  if (sim.has_baseline) {
    absl::StrAppend(&j, ",\n  \"baseline\": ", SummaryJson(sim.baseline),
                    ",\n  \"changed\": {\"count\": ", sim.changed_count,
                    DiffJson(sim), ", \"first\": [");
    first = true;
    for (const ChangedCase& c : sim.changed) {
      absl::StrAppend(&j, first ? "\n    " : ",\n    ", "{\"line\": ", c.line,
                      ", \"case_id\": ", JsonString(c.case_id),
                      ", \"before\": ", StringList(c.before),
                      ", \"after\": ", StringList(c.after),
                      ", \"reasons\": ", StringList(c.reasons),
                      ChangedCaseJson(c), "}");
      first = false;
    }
    j.append("]}");
  }
  if (sim.has_cost_share) AppendCostlyJson(sim, &j);
  j.append("\n}\n");
  return j;
}

}  // namespace tact::cli
