#include "src/cli/report_html.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/cli/simulation_printer.h"

namespace tact::cli {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Bar {
  std::string label;
  int64_t value = 0;
  std::string shown;      // the value as text (e.g. money)
  std::string css_class;  // extra class: "baseline" for the baseline's bars
};

// A horizontal bar chart: one row per bar, label left, value right. The
// longest bar is `full` (e.g. 1000 tenths of a percent) or, when 0, the
// largest value.
std::string BarChart(const std::string& name, const std::string& title,
                     const std::vector<Bar>& bars, int64_t full = 0) {
  constexpr int kWidth = 560, kLabel = 200, kValue = 100, kRow = 22, kTop = 8;
  const int plot = kWidth - kLabel - kValue;
  int64_t max = std::max<int64_t>(1, full);
  if (full <= 0) {
    for (const Bar& b : bars) max = std::max(max, b.value);
  }
  const int height =
      kTop * 2 + kRow * static_cast<int>(std::max<size_t>(1, bars.size()));
  std::string svg = absl::StrFormat(
      "<figure><figcaption>%s</figcaption>\n<svg class=\"chart\" "
      "data-chart=\"%s\" width=\"%d\" "
      "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
      Escape(title), name, kWidth, height, kWidth, height, Escape(title));
  if (bars.empty()) {
    absl::StrAppend(&svg, "<text x=\"", kLabel, "\" y=\"", kTop + 15,
                    "\" class=\"empty\">(nothing to show)</text>\n");
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int y = kTop + kRow * static_cast<int>(i);
    const double w = b.value <= 0
                         ? 0.0
                         : std::max(1.0, static_cast<double>(plot) *
                                             static_cast<double>(b.value) /
                                             static_cast<double>(max));
    absl::StrAppendFormat(
        &svg,
        "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
        "<rect class=\"bar%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\">"
        "<title>%s: %s</title></rect>"
        "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s</text>\n",
        kLabel - 6, y + 15, Escape(b.label),
        b.css_class.empty() ? "" : " " + b.css_class, kLabel, y + 3, w,
        kRow - 6, Escape(b.label), Escape(b.shown), kLabel + w + 4, y + 15,
        Escape(b.shown));
  }
  svg += "</svg></figure>\n";
  return svg;
}

// A table sortable by clicking its headers; cells with data-v sort by number.
struct Cell {
  std::string text;
  bool numeric = false;
  double value = 0;
};
Cell Num(int64_t v, std::string shown = "") {
  return {shown.empty() ? absl::StrCat(v) : std::move(shown), true,
          static_cast<double>(v)};
}
Cell Text(std::string s) { return {std::move(s), false, 0}; }

std::string Table(const std::vector<std::string>& headers,
                  const std::vector<std::vector<Cell>>& rows) {
  std::string t = "<table class=\"sortable\"><thead><tr>";
  for (const std::string& h : headers) {
    absl::StrAppend(&t, "<th title=\"Click to sort\">", Escape(h), "</th>");
  }
  t += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    t += "<tr>";
    for (const Cell& c : row) {
      if (c.numeric) {
        absl::StrAppendFormat(&t, "<td class=\"num\" data-v=\"%.0f\">%s</td>",
                              c.value, Escape(c.text));
      } else {
        absl::StrAppend(&t, "<td>", Escape(c.text), "</td>");
      }
    }
    t += "</tr>\n";
  }
  t += "</tbody></table>\n";
  return t;
}

std::string Pct(int64_t part, int64_t whole) {
  if (whole == 0) return "0.0%";
  return absl::StrFormat(
      "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

int64_t Get(const std::map<std::string, int64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

int64_t BlockedTotal(const ActionTally& t) {
  int64_t n = 0;
  for (const auto& [code, count] : t.blocked) n += count;
  return n;
}

std::string KeyFigures(const Simulation& sim) {
  const SimulationSummary& s = sim.summary;
  const SimulationSummary* b = sim.has_baseline ? &sim.baseline : nullptr;
  std::vector<std::string> headers = {"Figure"};
  if (b) {
    headers.push_back(absl::StrCat("Baseline ", sim.baseline_label));
    headers.push_back(absl::StrCat("Policy ", sim.policy_label));
  } else {
    headers.push_back(absl::StrCat("Policy ", s.policy_name));
  }
  std::vector<std::vector<Cell>> rows;
  auto row = [&](const std::string& label, auto value_of) {
    std::vector<Cell> r = {Text(label)};
    if (b) r.push_back(value_of(*b));
    r.push_back(value_of(s));
    rows.push_back(std::move(r));
  };
  auto money = [](const SimulationSummary& x, int64_t v) {
    return Num(v, FormatMinorUnits(v, x.currency));
  };
  row("Cases decided", [](const SimulationSummary& x) { return Num(x.cases); });
  row("Goodwill recommended",
      [&](const SimulationSummary& x) { return money(x, x.goodwill_total); });
  row("Cases with goodwill",
      [](const SimulationSummary& x) { return Num(x.cases_with_goodwill); });
  row("Budget exhausted (cases)", [](const SimulationSummary& x) {
    return Num(x.budget_exhausted_cases,
               absl::StrCat(x.budget_exhausted_cases, " (",
                            Pct(x.budget_exhausted_cases, x.cases), ")"));
  });
  row("Strikes recorded",
      [](const SimulationSummary& x) { return Num(x.strikes_recorded); });
  row("Strike warnings",
      [](const SimulationSummary& x) { return Num(x.strike_warnings); });
  row("Strike-outs",
      [](const SimulationSummary& x) { return Num(x.strike_outs); });
  row("Cases in recovery",
      [](const SimulationSummary& x) { return Num(x.recovery_cases); });
  row("Recovery window missed", [](const SimulationSummary& x) {
    return Num(
        x.recovery_window_missed,
        absl::StrCat(x.recovery_window_missed, " (",
                     Pct(x.recovery_window_missed, x.recovery_cases), ")"));
  });
  row("Beyond-contract actions", [](const SimulationSummary& x) {
    return Num(x.beyond_contract_actions);
  });
  row("Beyond-contract cost", [&](const SimulationSummary& x) {
    return money(x, x.beyond_contract_cost);
  });
  return Table(headers, rows);
}

// The diff: changed cases and money by kind, the goodwill delta, and the
// first changed cases with their change lines.
std::string ChangedDecisions(const Simulation& sim) {
  const std::string& cur = sim.summary.currency;
  std::string h = absl::StrCat(
      "<h2>Changed decisions (", sim.changed_count, ")</h2>\n",
      "<p class=\"meta diff\">Baseline ", Escape(sim.baseline_label),
      " &rarr; policy ", Escape(sim.policy_label), ". Goodwill ",
      Escape(sim.currency_changed
                 ? absl::StrCat("not compared (the currency changed: ",
                                sim.baseline.currency, " -> ",
                                sim.summary.currency, ")")
             : sim.goodwill_delta_overflow
                 ? std::string("overflow")
                 : MoneyDelta(sim.goodwill_delta, cur)),
      " (policy &minus; baseline); money moved in ", sim.money_changed_count,
      " cases, recommended actions changed in ", sim.actions_changed_count,
      ".</p>\n");
  std::vector<std::vector<Cell>> kinds;
  for (const auto& [kind, tally] : sim.changes_by_kind) {
    kinds.push_back({Text(ChangeKindName(kind)), Num(tally.cases),
                     Num(tally.money, tally.money_overflow
                                          ? std::string("overflow")
                                          : MoneyDelta(tally.money, cur))});
  }
  h += Table({"Change", "Cases", "Money"}, kinds);
  constexpr size_t kListed = 200;
  std::vector<std::vector<Cell>> rows;
  for (size_t i = 0; i < sim.changed.size() && i < kListed; ++i) {
    const ChangedCase& c = sim.changed[i];
    std::vector<std::string> kind_names, lines;
    for (ChangeKind kind : c.kinds) kind_names.push_back(ChangeKindName(kind));
    for (const Change& change : c.changes) lines.push_back(change.text);
    rows.push_back(
        {Num(c.line), Text(c.case_id), Text(absl::StrJoin(kind_names, ", ")),
         Text(absl::StrJoin(c.before, ", ")),
         Text(absl::StrJoin(c.after, ", ")), Text(absl::StrJoin(lines, "; "))});
  }
  h += Table({"Line", "Case", "Kinds", "Before", "After", "Changes"}, rows);
  const size_t listed = std::min(sim.changed.size(), kListed);
  if (sim.changed_count > static_cast<int64_t>(listed)) {
    absl::StrAppend(&h, "<p class=\"meta\">First ", listed, " of ",
                    sim.changed_count, " listed.</p>\n");
  }
  return h;
}

// Cost to serve (action costs) next to the goodwill, by tier and by value
// band, a chart by value band, and the customers above the cost share.
std::string CostToServeSection(const Simulation& sim) {
  const SimulationSummary& s = sim.summary;
  std::string h = "<h2>Cost to serve</h2>\n";
  absl::StrAppend(&h,
                  "<p class=\"meta\">What the recommended actions cost "
                  "(their declared cost: fixed amounts and agent minutes): ",
                  FormatMinorUnits(s.cost_to_serve_total, s.currency), ", ",
                  s.agent_minutes_total, " agent minutes, in ",
                  s.cases_with_cost, " cases.</p>\n");
  std::vector<Bar> bands;
  std::vector<std::vector<Cell>> rows;
  std::set<std::string> tiers;
  for (const auto& [tier, amount] : s.cost_to_serve_by_tier) tiers.insert(tier);
  for (const auto& [tier, amount] : s.goodwill_by_tier) tiers.insert(tier);
  for (const std::string& tier : tiers) {
    const int64_t cost = Get(s.cost_to_serve_by_tier, tier);
    const int64_t goodwill = Get(s.goodwill_by_tier, tier);
    rows.push_back({Text(absl::StrCat("tier ", tier)),
                    Num(cost, FormatMinorUnits(cost, s.currency)),
                    Num(goodwill, FormatMinorUnits(goodwill, s.currency))});
  }
  for (const ValueBand& band : kValueBands) {
    const int64_t cost = Get(s.cost_to_serve_by_value_band, band.key);
    const int64_t goodwill = Get(s.goodwill_by_value_band, band.key);
    rows.push_back(
        {Text(absl::StrCat("lifetime value ", band.key, " (minor units)")),
         Num(cost, FormatMinorUnits(cost, s.currency)),
         Num(goodwill, FormatMinorUnits(goodwill, s.currency))});
    bands.push_back({band.key, cost, FormatMinorUnits(cost, s.currency), ""});
  }
  if (s.cost_to_serve_total != 0) {  // a policy without costs: no empty chart
    h += "<div class=\"grid\">\n";
    h += BarChart("cost-by-value-band",
                  "Cost to serve by customer lifetime value", bands);
    h += "</div>\n";
  }
  h += Table({"Customers", "Cost to serve", "Goodwill"}, rows);
  if (sim.has_cost_share) {
    absl::StrAppend(&h, "<h2>Cost to serve above ",
                    absl::StrFormat("%g", sim.cost_share_percent),
                    "% of spend (", sim.costly_count, " customers)</h2>\n");
    std::vector<std::vector<Cell>> costly;
    for (const CostlyCustomer& c : sim.costly) {
      costly.push_back(
          {Num(c.line), Text(c.customer_id), Text(c.case_id),
           Num(c.spend, FormatMinorUnits(c.spend, s.currency)),
           Num(c.history_cost, FormatMinorUnits(c.history_cost, s.currency)),
           Num(c.decision_cost, FormatMinorUnits(c.decision_cost, s.currency)),
           Num(c.cost_to_serve,
               FormatMinorUnits(c.cost_to_serve, s.currency))});
    }
    h += Table({"Line", "Customer", "Case", "Spend (lifetime value)",
                "Already spent", "This decision", "Cost to serve"},
               costly);
    if (sim.costly_count > static_cast<int64_t>(sim.costly.size())) {
      absl::StrAppend(&h, "<p class=\"meta\">First ", sim.costly.size(),
                      " listed.</p>\n");
    }
  }
  return h;
}

// Service levels, when a decision of either side carried them: a chart of
// the attainment per tier and target (this policy's), a table of the states
// counted per tier and target and all tiers (with the baseline's attainment
// beside), and the cases served beyond the contracted level per tier.
std::string ServiceLevelsSection(const Simulation& sim) {
  const ServiceLevelSummary& s = sim.summary.service_levels;
  const ServiceLevelSummary* b =
      sim.has_baseline ? &sim.baseline.service_levels : nullptr;
  const std::vector<std::string> targets = ServiceLevelTargets(s, b);
  if (targets.empty()) return "";
  std::set<std::string> tiers;
  for (const auto& [tier, row] : s.by_tier) tiers.insert(tier);
  if (b) {
    for (const auto& [tier, row] : b->by_tier) tiers.insert(tier);
  }
  auto row_of = [](const ServiceLevelSummary& x, const std::string& tier) {
    auto it = x.by_tier.find(tier);
    return it == x.by_tier.end() ? TierServiceLevels{} : it->second;
  };
  auto tally_of = [](const TierServiceLevels& row, const std::string& target) {
    auto it = row.targets.find(target);
    return it == row.targets.end() ? ServiceLevelTally{} : it->second;
  };
  auto share = [](int64_t part, int64_t whole) {
    const int64_t tenths = PercentTenths(part, whole);
    return Num(tenths, FormatPercentTenths(tenths));
  };
  std::string h =
      "<h2>Service levels</h2>\n<p class=\"meta\">Attainment: the cases "
      "whose target was met, ok or at risk, of the cases measured (its "
      "clock ran).</p>\n";
  std::vector<Bar> bars;
  std::vector<std::vector<Cell>> rows;
  auto add = [&](const std::string& tier, const std::string& target,
                 const ServiceLevelTally& t, const ServiceLevelTally* base) {
    const int64_t tenths = PercentTenths(t.within(), t.measured);
    std::vector<Cell> r = {
        Text(tier),      Text(target),  Num(t.measured),
        Num(t.met),      Num(t.ok),     Num(t.at_risk),
        Num(t.breached), Num(t.missed), share(t.within(), t.measured)};
    if (base) r.push_back(share(base->within(), base->measured));
    rows.push_back(std::move(r));
    if (tenths >= 0) {
      bars.push_back({absl::StrCat(tier, " ", target), tenths,
                      FormatPercentTenths(tenths), ""});
    }
  };
  for (const std::string& tier : tiers) {
    for (const std::string& target : targets) {
      ServiceLevelTally base;
      if (b) base = tally_of(row_of(*b, tier), target);
      add(tier, target, tally_of(row_of(s, tier), target), b ? &base : nullptr);
    }
  }
  for (const std::string& target : targets) {
    ServiceLevelTally base;
    if (b) base = tally_of(b->total, target);
    add("all tiers", target, tally_of(s.total, target), b ? &base : nullptr);
  }
  h += "<div class=\"grid\">\n";
  h += BarChart("sla-attainment", "Service-level attainment by tier", bars,
                1000);
  h += "</div>\n";
  std::vector<std::string> headers = {"Tier",     "Target", "Measured",
                                      "Met",      "OK",     "At risk",
                                      "Breached", "Missed", "Attainment"};
  if (b) headers.push_back("Attainment (baseline)");
  h += Table(headers, rows);
  h += "<h2>Served beyond the contracted level</h2>\n";
  std::vector<std::vector<Cell>> beyond;
  auto add_beyond = [&](const std::string& tier, const TierServiceLevels& row,
                        const TierServiceLevels* base) {
    std::vector<Cell> r = {Text(tier), Num(row.cases),
                           Num(row.beyond_contract_cases),
                           share(row.beyond_contract_cases, row.cases)};
    if (base) r.push_back(share(base->beyond_contract_cases, base->cases));
    beyond.push_back(std::move(r));
  };
  for (const std::string& tier : tiers) {
    TierServiceLevels base;
    if (b) base = row_of(*b, tier);
    add_beyond(tier, row_of(s, tier), b ? &base : nullptr);
  }
  add_beyond("all tiers", s.total, b ? &b->total : nullptr);
  std::vector<std::string> beyond_headers = {
      "Tier", "Cases", "With a beyond-contract action", "Share"};
  if (b) beyond_headers.push_back("Share (baseline)");
  h += Table(beyond_headers, beyond);
  return h;
}

constexpr char kStyle[] = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#1d2430;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
.meta{color:#5b6675;margin:0 0 12px}.grid{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0;background:#f7f9fb;border:1px solid #e3e8ee;border-radius:6px;padding:8px 10px}
figcaption{font-weight:600;margin-bottom:4px}
svg .bar{fill:#3b7dd8}svg .bar.baseline{fill:#9aa7b8}svg text{font-size:12px;fill:#1d2430}
svg .value{fill:#5b6675}table{border-collapse:collapse;margin:6px 0 12px}
th,td{border:1px solid #e3e8ee;padding:3px 9px;text-align:left}th{background:#eef2f6;cursor:pointer;user-select:none}
th.asc::after{content:" \25B2"}th.desc::after{content:" \25BC"}td.num{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
)css";

// Sorts a table's body by the clicked column: numbers by data-v, else text.
constexpr char kScript[] = R"js(
document.querySelectorAll("table.sortable th").forEach(function (th, i) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var asc = !th.classList.contains("asc");
    table.querySelectorAll("th").forEach(function (h) { h.classList.remove("asc", "desc"); });
    th.classList.add(asc ? "asc" : "desc");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[th.cellIndex], y = b.cells[th.cellIndex];
      var d = x.dataset.v !== undefined && y.dataset.v !== undefined
          ? Number(x.dataset.v) - Number(y.dataset.v)
          : x.textContent.localeCompare(y.textContent);
      return asc ? d : -d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
document.documentElement.classList.add("sortable-ready");
)js";

}  // namespace

std::string RenderHtmlReport(const Simulation& sim,
                             const ReportSources& sources) {
  const SimulationSummary& s = sim.summary;
  const SimulationSummary* b = sim.has_baseline ? &sim.baseline : nullptr;
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<title>tact simulation: ",
      Escape(s.policy_name), "</title>\n<style>", kStyle,
      "</style></head><body>\n");
  absl::StrAppend(&h, "<h1>Simulation of ", Escape(s.policy_name), "@",
                  Escape(s.policy_version), "</h1>\n<p class=\"meta\">",
                  sim.lines, " cases from <code>", Escape(sources.cases_path),
                  "</code>; ", s.cases, " decided, ", sim.error_count,
                  " could not be decided. Policy <code>",
                  Escape(sources.policy_path), "</code>");
  if (b) {
    absl::StrAppend(&h, " (", Escape(sim.policy_label), "), baseline <code>",
                    Escape(sources.baseline_path), "</code> (",
                    Escape(sim.baseline_label), "); ", sim.changed_count,
                    " decisions changed");
  }
  h += ".</p>\n";

  // Charts.
  std::vector<Bar> actions;
  for (const auto& [action, t] : s.actions) {
    if (t.recommended > 0) {
      actions.push_back(
          {action, t.recommended, absl::StrCat(t.recommended), ""});
    }
  }
  std::vector<Bar> tiers;
  for (const auto& [tier, amount] : s.goodwill_by_tier) {
    tiers.push_back({tier, amount, FormatMinorUnits(amount, s.currency), ""});
  }
  std::vector<Bar> rungs;
  for (const auto& [ladder, steps] : s.rungs) {
    for (const auto& [step, n] : steps) {
      rungs.push_back(
          {absl::StrCat(ladder, " rung ", step), n, absl::StrCat(n), ""});
    }
  }
  std::vector<Bar> cost;
  auto add_cost = [&](const std::string& label, int64_t base, int64_t now) {
    if (b) {
      cost.push_back({absl::StrCat(label, " (baseline)"), base,
                      FormatMinorUnits(base, b->currency), "baseline"});
    }
    cost.push_back({absl::StrCat(label, b ? " (policy)" : ""), now,
                    FormatMinorUnits(now, s.currency), ""});
  };
  add_cost("Goodwill", b ? b->goodwill_total : 0, s.goodwill_total);
  add_cost("Beyond-contract cost", b ? b->beyond_contract_cost : 0,
           s.beyond_contract_cost);
  add_cost("Cost to serve", b ? b->cost_to_serve_total : 0,
           s.cost_to_serve_total);

  h += "<h2>Charts</h2><div class=\"grid\">\n";
  h += BarChart("actions", "Recommended actions (cases)", actions);
  h += BarChart("goodwill-by-tier", "Goodwill recommended by tier", tiers);
  h += BarChart("rungs", "Escalation ladder: rung reached (cases)", rungs);
  h += BarChart(
      "cost",
      b ? "Cost: baseline (grey) vs policy (blue)" : "Cost of this policy",
      cost);
  h += "</div>\n";

  h += "<h2>Key figures</h2>\n";
  h += KeyFigures(sim);

  h += "<h2>Actions</h2>\n";
  {
    std::set<std::string> codes;
    for (const auto& [a, t] : s.actions) {
      for (const auto& [code, n] : t.blocked) codes.insert(code);
    }
    std::vector<std::string> headers = {"Action", "Recommended",
                                        "Needs approval", "Blocked"};
    for (const std::string& code : codes)
      headers.push_back(absl::StrCat("Blocked: ", code));
    if (b) headers.push_back("Recommended (baseline)");
    std::set<std::string> names;
    for (const auto& [a, t] : s.actions) names.insert(a);
    if (b) {
      for (const auto& [a, t] : b->actions) names.insert(a);
    }
    std::vector<std::vector<Cell>> rows;
    for (const std::string& a : names) {
      auto it = s.actions.find(a);
      ActionTally t = it == s.actions.end() ? ActionTally{} : it->second;
      std::vector<Cell> r = {Text(a), Num(t.recommended), Num(t.needs_approval),
                             Num(BlockedTotal(t))};
      for (const std::string& code : codes)
        r.push_back(Num(Get(t.blocked, code)));
      if (b) {
        auto jt = b->actions.find(a);
        r.push_back(Num(jt == b->actions.end() ? 0 : jt->second.recommended));
      }
      rows.push_back(std::move(r));
    }
    h += Table(headers, rows);
  }

  h += "<h2>Goodwill</h2>\n";
  {
    std::vector<std::vector<Cell>> rows;
    for (const auto& [tier, amount] : s.goodwill_by_tier) {
      rows.push_back({Text(absl::StrCat("tier ", tier)),
                      Num(amount, FormatMinorUnits(amount, s.currency))});
    }
    for (const ValueBand& band : kValueBands) {
      int64_t amount = Get(s.goodwill_by_value_band, band.key);
      rows.push_back(
          {Text(absl::StrCat("lifetime value ", band.key, " (minor units)")),
           Num(amount, FormatMinorUnits(amount, s.currency))});
    }
    h += Table({"Customers", "Goodwill"}, rows);
  }
  h += CostToServeSection(sim);

  h += "<h2>Recovery playbook steps</h2>\n";
  {
    std::vector<std::vector<Cell>> rows;
    for (const auto& [stage, n] : s.recovery_steps)
      rows.push_back({Text(stage), Num(n)});
    h += Table({"Stage", "Cases"}, rows);
  }

  h += "<h2>Beyond the contract</h2>\n";
  {
    std::vector<std::vector<Cell>> rows;
    for (const auto& [a, n] : s.beyond_contract_by_action)
      rows.push_back({Text(a), Num(n)});
    h += Table({"Action", "Times recommended"}, rows);
  }
  h += ServiceLevelsSection(sim);

  if (b) h += ChangedDecisions(sim);

  absl::StrAppend(&h, "<h2>Cases that could not be decided (", sim.error_count,
                  ")</h2>\n");
  {
    std::vector<std::vector<Cell>> rows;
    for (const CaseError& e : sim.errors)
      rows.push_back({Num(e.line), Text(CaseErrorText(e))});
    h += Table({"Line", "Problem"}, rows);
  }

  absl::StrAppend(&h, "<script>", kScript, "</script>\n</body></html>\n");
  return h;
}

}  // namespace tact::cli
