#include "src/cli/decision_printer.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "tact/codes.h"
#include "tact/simulation.h"

namespace tact::cli {
namespace {

using ::google::protobuf::util::TimeUtil;

// "sha256:3f2a9c1d0b7e" from "sha256:<64 hex digits>": enough to tell
// versions apart on screen; the JSON output carries the full hash.
std::string ShortHash(absl::string_view hash) {
  constexpr size_t kHexDigits = 12;
  size_t colon = hash.find(':');
  size_t digits_start = colon == absl::string_view::npos ? 0 : colon + 1;
  return std::string(hash.substr(0, digits_start + kHexDigits));
}

// Who a reason comes from: the rule id for rules, "<kind> <id>" otherwise.
std::string Source(const v1::Reason& reason) {
  if (reason.source_kind().empty() ||
      reason.source_kind() == Name(SourceKind::kRule)) {
    return reason.source_id();
  }
  return absl::StrCat(reason.source_kind(), " ", reason.source_id());
}

std::string FormatParams(const v1::RecommendedAction& action) {
  std::vector<std::string> parts;
  parts.reserve(action.params_size());
  for (const v1::Param& param : action.params()) {
    parts.push_back(
        absl::StrCat(param.name(), "=", FormatValue(param.value())));
  }
  return absl::StrJoin(parts, " ");
}

std::string FormatEffect(const v1::Effect& effect) {
  std::string line = effect.kind();
  if (!effect.ref().empty()) absl::StrAppend(&line, " ref=", effect.ref());
  if (effect.amount() != 0) absl::StrAppend(&line, " amount=", effect.amount());
  if (effect.step() != 0) absl::StrAppend(&line, " step=", effect.step());
  return line;
}

void PrintHeader(const v1::Decision& decision, const TextOptions& options,
                 std::ostream& out) {
  out << "policy   " << decision.policy_name() << "@"
      << decision.policy_version() << "  " << ShortHash(decision.policy_hash());
  if (!options.policy_path.empty()) out << "  (" << options.policy_path << ")";
  out << "\n";
  if (!options.context_path.empty()) {
    out << "context  " << options.context_path << "\n";
  }
  if (!options.authority.empty()) {
    out << "as       " << options.authority << "\n";
  }
  out << "now      "
      << (decision.has_now() ? TimeUtil::ToString(decision.now()) : "unset")
      << "\n";
}

// "1500 minor units (15 agent minutes)": a cost of service; the agent
// minutes only when there are some.
std::string FormatCost(int64_t cost, int64_t agent_minutes) {
  std::string text = absl::StrCat(cost, " minor units");
  if (agent_minutes != 0) {
    absl::StrAppend(&text, " (", agent_minutes, " agent minutes)");
  }
  return text;
}

// The lines under an action's row: a beyond-contract warning, then one
// reason per contributing rule or construct.
void PrintActionNotes(const v1::RecommendedAction& action, std::ostream& out) {
  if (!action.playbook_stage().empty()) {
    out << "        * recovery step: " << action.playbook_stage()
        << " (recovery steps rank first, in a fixed order)\n";
  }
  if (action.beyond_contract()) {
    out << "        ! beyond the customer's contract\n";
  }
  if (action.cost() != 0 || action.agent_minutes() != 0) {
    out << "        $ cost of service: "
        << FormatCost(action.cost(), action.agent_minutes()) << "\n";
  }
  for (const v1::Reason& reason : action.reasons()) {
    out << "        - " << Source(reason) << ": " << reason.text() << "\n";
  }
}

void PrintActions(const v1::Decision& decision, std::ostream& out) {
  out << "\nRecommended actions: " << decision.actions_size() << "\n";
  if (decision.actions_size() == 0) return;

  size_t action_width = std::string("ACTION").size();
  for (const v1::RecommendedAction& action : decision.actions()) {
    action_width = std::max(action_width, action.action().size());
  }
  const int width = static_cast<int>(action_width);
  out << absl::StrFormat("  %4s  %-*s  %8s  %6s  %s\n", "RANK", width, "ACTION",
                         "PRIORITY", "SCORE", "PARAMS");
  for (const v1::RecommendedAction& action : decision.actions()) {
    std::string row = absl::StrFormat(
        "  %4d  %-*s  %8d  %6.2f  %s", action.rank(), width, action.action(),
        action.priority(), action.score(), FormatParams(action));
    // No trailing blanks when there are no params.
    row.erase(row.find_last_not_of(' ') + 1);
    out << row << "\n";
    PrintActionNotes(action, out);
  }
  // Only policies that declare costs print the line.
  if (decision.total_cost() != 0 || decision.total_agent_minutes() != 0) {
    out << "  Cost of service: "
        << FormatCost(decision.total_cost(), decision.total_agent_minutes())
        << "\n";
  }
}

// "3h", "-1h30m", "0": a service level's elapsed or remaining time.
std::string SlaDuration(const google::protobuf::Duration& d) {
  return absl::FormatDuration(absl::Seconds(d.seconds()) +
                              absl::Nanoseconds(d.nanos()));
}

// Where the case stands on each service-level target: one row per target,
// then when a stopped clock stopped.
void PrintServiceLevels(const v1::Decision& decision, std::ostream& out) {
  if (decision.service_levels_size() == 0) return;
  const v1::ServiceLevelStatus& first = decision.service_levels(0);
  out << "\nService levels: " << decision.service_levels_size();
  if (!first.entitlement().empty()) {
    out << "  (the \"" << first.entitlement() << "\" contract";
    if (first.entitlement() != first.tier()) {
      out << ", for "
          << (first.tier().empty() ? "no tier"
                                   : "tier \"" + first.tier() + "\"");
    }
    out << ")";
  } else {
    out << "  (no contract for "
        << (first.tier().empty() ? "a customer without a tier"
                                 : "tier \"" + first.tier() + "\"")
        << ")";
  }
  out << "\n";
  size_t target_width = std::string("TARGET").size();
  size_t within_width = std::string("WITHIN").size();
  for (const v1::ServiceLevelStatus& s : decision.service_levels()) {
    target_width = std::max(target_width, s.target().size());
    within_width = std::max(within_width, s.within().size());
  }
  const int tw = static_cast<int>(target_width);
  const int ww = static_cast<int>(within_width);
  std::string header = absl::StrFormat(
      "  %-*s  %-8s  %-20s  %-*s  %9s  %9s  %7s  %s", tw, "TARGET", "STATE",
      "DUE", ww, "WITHIN", "ELAPSED", "REMAINING", "PERCENT", "THRESHOLD");
  out << header << "\n";
  for (const v1::ServiceLevelStatus& s : decision.service_levels()) {
    const bool none = s.state() == Name(SlaState::kNone);
    std::string due = "-";
    if (s.has_due_at()) {
      due = TimeUtil::ToString(s.due_at());
    } else if (s.paused()) {
      due = "paused";
    }
    std::string row = absl::StrFormat(
        "  %-*s  %-8s  %-20s  %-*s  %9s  %9s  %7s  %s", tw, s.target(),
        s.state(), due, ww, s.within().empty() ? "-" : s.within(),
        none ? "-" : SlaDuration(s.elapsed()),
        none ? "-" : SlaDuration(s.remaining()),
        none ? "-" : absl::StrCat(s.percent(), "%"),
        s.threshold() > 0 ? absl::StrCat(s.threshold(), "%") : "-");
    row.erase(row.find_last_not_of(' ') + 1);
    out << row << "\n";
    if (s.has_due_at() && s.paused()) {
      out << "        paused: the clock stands still\n";
    }
    if (s.has_stopped_at()) {
      out << "        stopped " << TimeUtil::ToString(s.stopped_at());
      if (s.has_started_at()) {
        out << " (started " << TimeUtil::ToString(s.started_at()) << ")";
      }
      out << "\n";
    }
  }
}

void PrintNeedsApproval(const v1::Decision& decision, std::ostream& out) {
  if (decision.needs_approval_size() == 0) return;
  out << "\nNeeds approval: " << decision.needs_approval_size() << "\n";
  for (const v1::RecommendedAction& action : decision.needs_approval()) {
    std::string row =
        absl::StrFormat("  %s  needs %s  %s", action.action(),
                        action.required_authority(), FormatParams(action));
    row.erase(row.find_last_not_of(' ') + 1);
    out << row << "\n";
    PrintActionNotes(action, out);
  }
}

void PrintFlags(const v1::Decision& decision, std::ostream& out) {
  if (decision.flags_size() == 0) return;
  out << "\nFlags: " << decision.flags_size() << "\n";
  for (const v1::Flag& flag : decision.flags()) {
    out << "  " << flag.code();
    if (!flag.source().source_id().empty()) {
      out << "  from " << Source(flag.source());
    }
    out << "\n";
    if (!flag.source().text().empty()) {
      out << "        - " << flag.source().text() << "\n";
    }
  }
}

void PrintBlocked(const v1::Decision& decision, std::ostream& out) {
  out << "\nBlocked actions: " << decision.blocked_size() << "\n";
  for (const v1::BlockedAction& blocked : decision.blocked()) {
    out << "  " << blocked.action() << "  " << blocked.code() << " by "
        << Source(blocked.blocked_by()) << "\n";
    if (!blocked.blocked_by().text().empty()) {
      out << "        - " << Source(blocked.blocked_by()) << ": "
          << blocked.blocked_by().text() << "\n";
    }
    if (blocked.wanted_by_size() > 0) {
      std::vector<std::string> wanted;
      for (const v1::Reason& reason : blocked.wanted_by()) {
        wanted.push_back(Source(reason));
      }
      out << "        wanted by " << absl::StrJoin(wanted, ", ") << "\n";
    }
  }
}

void PrintEffects(const v1::Decision& decision, std::ostream& out) {
  out << "\nEffects: " << decision.effects_size() << "\n";
  for (const v1::Effect& effect : decision.effects()) {
    out << "  " << FormatEffect(effect) << "\n";
  }
}

// One action in the agent's register: its title, the filled template and
// every reason, as sentences.
void PrintDoAndWhy(const v1::RecommendedAction& action,
                   absl::string_view heading, std::ostream& out) {
  out << "  " << heading
      << (action.title().empty() ? action.action() : action.title()) << "\n";
  if (!action.text().empty()) out << "     Do:  " << action.text() << "\n";
  const char* label = "     Why: ";
  for (const v1::Reason& reason : action.reasons()) {
    out << label << reason.text() << "\n";
    label = "          ";
  }
}

// The agent's register: what to do and why, in the policy's own sentences.
void PrintExplanation(const v1::Decision& decision, std::ostream& out) {
  out << "\nWhat to do, and why\n";
  if (decision.actions_size() == 0) {
    out << "  Nothing in the policy recommends an action for this case.\n";
  }
  for (const v1::RecommendedAction& action : decision.actions()) {
    PrintDoAndWhy(action, absl::StrCat(action.rank(), ". "), out);
  }
  for (const v1::RecommendedAction& action : decision.needs_approval()) {
    PrintDoAndWhy(action,
                  absl::StrCat("Only with approval (",
                               action.required_authority(), "): "),
                  out);
  }
  for (const v1::BlockedAction& blocked : decision.blocked()) {
    out << "  Not now: " << blocked.action() << "\n";
    if (!blocked.blocked_by().text().empty()) {
      out << "     Why: " << blocked.blocked_by().text() << "\n";
    }
  }
}

// The developer's register: every rule, and why it did or did not fire.
void PrintTrace(const v1::Decision& decision, std::ostream& out) {
  int fired = 0;
  size_t id_width = 0;
  for (const v1::RuleTrace& rule : decision.trace()) {
    if (rule.fired()) ++fired;
    id_width = std::max(id_width, rule.rule_id().size());
  }
  if (decision.trace_level() == v1::TRACE_EVALUATED) {
    out << "\nRule trace: " << decision.trace_size() << " rules evaluated, "
        << fired
        << " fired (only the rules the rule index evaluated are listed)\n";
  } else {
    out << "\nRule trace: " << decision.trace_size() << " rules, " << fired
        << " fired\n";
  }
  const int width = static_cast<int>(id_width);
  for (const v1::RuleTrace& rule : decision.trace()) {
    absl::string_view status;
    std::string detail;
    if (rule.shadowed_by_final()) {
      status = "shadowed";
      detail = "stopped: a final rule of higher priority fired";
    } else if (!rule.error().empty()) {
      status = "error";
      detail = absl::StrCat("error: ", rule.error());
    } else if (rule.fired()) {
      status = "fired";
    } else {
      status = "not fired";
      if (!rule.failed_condition().empty()) {
        detail = absl::StrCat("false: ", rule.failed_condition());
        // The values its operands had (TRACE_FULL).
        const char* separator = " (";
        for (const v1::Binding& binding : rule.values()) {
          absl::StrAppend(&detail, separator, binding.expression(), " is ",
                          binding.value());
          separator = ", ";
        }
        if (rule.values_size() > 0) detail += ")";
      }
    }
    std::string row = absl::StrFormat("  %-9s  %-*s  %s", status, width,
                                      rule.rule_id(), detail);
    row.erase(row.find_last_not_of(' ') + 1);
    out << row << "\n";
  }
}

// --- The constructs' trace (Decision.construct_trace) ---

std::string TraceTime(const google::protobuf::Timestamp& t) {
  return TimeUtil::ToString(t);
}

// "90d" for whole days, else absl's "8h", "1h30m".
std::string TraceDuration(const google::protobuf::Duration& d) {
  constexpr int64_t kDay = 86400;
  if (d.nanos() == 0 && d.seconds() > 0 && d.seconds() % kDay == 0) {
    return absl::StrCat(d.seconds() / kDay, "d");
  }
  return absl::FormatDuration(absl::Seconds(d.seconds()) +
                              absl::Nanoseconds(d.nanos()));
}

// The key facts of one construct's entry, as "name value" pairs.
std::vector<std::string> ConstructFacts(const v1::ConstructTrace& entry) {
  std::vector<std::string> facts;
  switch (entry.detail_case()) {
    case v1::ConstructTrace::kLadder: {
      const v1::LadderTrace& l = entry.ladder();
      if (!l.entered()) break;
      facts.push_back(
          absl::StrCat("current rung ", l.current_rung(), " of ", l.rungs()));
      if (l.offered_rung() > 0) {
        facts.push_back(absl::StrCat("offered rung ", l.offered_rung(), " (",
                                     l.offered_action(), ")"));
      }
      if (l.next_rung() > 0) {
        facts.push_back(
            absl::StrCat(l.waiting() ? "waiting rung " : "next rung ",
                         l.next_rung(), " (", l.next_action(), ")"));
      }
      if (l.has_wait()) facts.push_back("wait " + TraceDuration(l.wait()));
      if (l.has_next_due()) facts.push_back("due " + TraceTime(l.next_due()));
      if (l.skipped_rungs_size() > 0) {
        facts.push_back(
            absl::StrCat("skipped ", absl::StrJoin(l.skipped_rungs(), ",")));
      }
      if (l.exhausted()) facts.push_back("exhausted");
      break;
    }
    case v1::ConstructTrace::kStrikeLimit: {
      const v1::StrikeTrace& s = entry.strike_limit();
      facts.push_back(absl::StrCat("count ", s.count(), " of ", s.limit(),
                                   s.at_limit() ? " (at limit)" : ""));
      facts.push_back(absl::StrCat("window ", TraceDuration(s.window()),
                                   " from ", TraceTime(s.window_start())));
      if (s.case_counted()) {
        facts.push_back(s.struck_now() ? "struck now" : "case counted");
      }
      std::vector<std::string> events;
      for (const v1::Event& e : s.counted()) {
        events.push_back(absl::StrCat(e.kind(), "@", TraceTime(e.at())));
      }
      if (!events.empty()) {
        facts.push_back("counted " + absl::StrJoin(events, " "));
      }
      break;
    }
    case v1::ConstructTrace::kBudget: {
      const v1::BudgetTrace& b = entry.budget();
      auto money = [&](int64_t v) { return FormatMinorUnits(v, b.currency()); };
      facts.push_back(absl::StrCat("window ", money(b.granted_in_window()),
                                   " of ", money(b.window_cap()), " since ",
                                   TraceTime(b.window_start())));
      if (b.case_cap() >= 0) {
        facts.push_back(absl::StrCat("case ", money(b.granted_in_case()),
                                     " of ", money(b.case_cap())));
      }
      facts.push_back("remaining " + money(b.remaining()));
      facts.push_back("granted now " + money(b.granted_now()));
      break;
    }
    case v1::ConstructTrace::kPlaybook: {
      const v1::PlaybookTrace& p = entry.playbook();
      if (!p.triggered()) break;
      std::vector<std::string> stages;
      for (int k = 0; k < p.stages_size(); ++k) {
        stages.push_back(absl::StrCat(
            p.stages(k), "=", k < p.actions_size() ? p.actions(k) : ""));
      }
      facts.push_back("stages " + absl::StrJoin(stages, " "));
      facts.push_back("deadline " + TraceTime(p.deadline()) +
                      (p.window_missed() ? " (missed)" : ""));
      break;
    }
    case v1::ConstructTrace::kEntitlement: {
      const v1::EntitlementTrace& e = entry.entitlement();
      facts.push_back(absl::StrCat("tier \"", e.tier(), "\" contract \"",
                                   e.entitlement(), "\"",
                                   e.is_default() ? " (default)" : "",
                                   e.suppress() ? " suppress" : " warn"));
      if (e.beyond_contract_size() > 0) {
        facts.push_back("beyond " + absl::StrJoin(e.beyond_contract(), ","));
      }
      break;
    }
    case v1::ConstructTrace::kAuthority: {
      const v1::AuthorityTrace& a = entry.authority();
      facts.push_back(absl::StrCat("allowed ", a.allowed()));
      for (int k = 0; k < a.held_size(); ++k) {
        facts.push_back(absl::StrCat("held ", a.held(k).action(), " needs ",
                                     a.held(k).required_authority()));
      }
      break;
    }
    case v1::ConstructTrace::kServiceLevel: {
      // Each target's state at a glance ("first_reply at_risk 75%"), then
      // the thresholds: acted on now, superseded by a higher one reached in
      // the same decision, or already recorded for this clock run.
      const v1::ServiceLevelTrace& sl = entry.service_level();
      for (const v1::ServiceLevelStatus& t : sl.targets()) {
        std::string fact = absl::StrCat(t.target(), " ", t.state());
        if (t.state() != Name(SlaState::kNone)) {
          absl::StrAppend(&fact, " ", t.percent(), "%");
        }
        if (t.paused()) fact += " paused";
        facts.push_back(std::move(fact));
      }
      if (sl.acted_size() > 0) {
        facts.push_back("acted " + absl::StrJoin(sl.acted(), ","));
      }
      if (sl.superseded_size() > 0) {
        facts.push_back("superseded " + absl::StrJoin(sl.superseded(), ","));
      }
      if (sl.already_recorded_size() > 0) {
        facts.push_back("already recorded " +
                        absl::StrJoin(sl.already_recorded(), ","));
      }
      break;
    }
    case v1::ConstructTrace::DETAIL_NOT_SET:
      break;
  }
  if (entry.stopped()) facts.push_back("stopped by a final rule");
  return facts;
}

// Every construct: what it saw and did (--explain, --trace).
void PrintConstructTrace(const v1::Decision& decision, std::ostream& out) {
  if (decision.construct_trace_size() == 0) return;
  out << "\nConstructs: " << decision.construct_trace_size() << "\n";
  for (const v1::ConstructTrace& entry : decision.construct_trace()) {
    out << "  " << entry.kind();
    if (!entry.id().empty()) {
      out << " " << entry.id();
    } else if (entry.has_authority()) {
      out << " (unrestricted)";
    }
    out << "\n";
    if (!entry.summary().empty()) out << "        " << entry.summary() << "\n";
    std::vector<std::string> facts = ConstructFacts(entry);
    if (!facts.empty()) {
      out << "        [" << absl::StrJoin(facts, "; ") << "]\n";
    }
  }
}

}  // namespace

std::string FormatValue(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case v1::Value::kIntValue:
      return absl::StrCat(value.int_value());
    case v1::Value::kDoubleValue:
      return absl::StrCat(value.double_value());
    case v1::Value::kStringValue:
      return absl::StrCat("\"", absl::Utf8SafeCEscape(value.string_value()),
                          "\"");
    case v1::Value::kTimestampValue:
      return TimeUtil::ToString(value.timestamp_value());
    case v1::Value::kDurationValue:
      return absl::FormatDuration(
          absl::Seconds(value.duration_value().seconds()) +
          absl::Nanoseconds(value.duration_value().nanos()));
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return "null";
}

void PrintDecisionText(const v1::Decision& decision, const TextOptions& options,
                       std::ostream& out) {
  PrintHeader(decision, options, out);
  PrintActions(decision, out);
  PrintServiceLevels(decision, out);
  PrintNeedsApproval(decision, out);
  PrintBlocked(decision, out);
  PrintFlags(decision, out);
  PrintEffects(decision, out);
  if (options.explain) PrintExplanation(decision, out);
  // A decision with no trace recorded (--explain --trace-level=off) prints
  // none.
  if ((options.explain || options.trace) &&
      (decision.trace_level() != v1::TRACE_OFF || decision.trace_size() > 0)) {
    PrintTrace(decision, out);
    PrintConstructTrace(decision, out);
  }
}

}  // namespace tact::cli
