// Service levels: the same contracted standard for everyone (issue 17).
// Each target's clock runs over the case's own history (service_clock.h);
// the construct sets the `sla.<target>.<fact>` facts before anything
// proposes, and recommends the actions of each target's highest threshold
// reached, once per clock run.
#include "src/policy/constructs/service_level.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "src/expr/checker.h"
#include "src/expr/parser.h"
#include "src/policy/candidates.h"
#include "src/policy/condition.h"
#include "src/policy/constructs/common.h"
#include "src/policy/constructs/construct_trace.h"
#include "src/policy/decision_writer.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "src/policy/service_clock.h"
#include "tact/codes.h"

namespace tact::internal {

namespace {

constexpr const char* kFactNames[kSlaFactCount] = {
    "state",   "elapsed",   "remaining", "due",
    "percent", "threshold", "paused",    "breached"};
constexpr ValueType kFactTypes[kSlaFactCount] = {
    ValueType::kString,    ValueType::kDuration, ValueType::kDuration,
    ValueType::kTimestamp, ValueType::kInt,      ValueType::kInt,
    ValueType::kBool,      ValueType::kBool};

constexpr absl::string_view kId = "service_levels";

bool ValidTargetId(absl::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  for (char ch : id) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
      return false;
    }
  }
  return true;
}

absl::string_view MeasureName(int measure) {
  switch (measure) {
    case v1::ServiceLevelTarget::FIRST_REPLY:
      return "first_reply";
    case v1::ServiceLevelTarget::NEXT_REPLY:
      return "next_reply";
    case v1::ServiceLevelTarget::RESOLUTION:
      return "resolution";
    default:
      return "";
  }
}

bool IsSpecialParam(absl::string_view name) {
  return name == "target" || name == "due" || name == "percent" ||
         name == "within";
}

// The index of target `id`, or -1 after reporting it unknown.
int TargetIndex(PolicyCompiler& c, absl::string_view id, absl::string_view path,
                absl::string_view element) {
  const std::vector<ServiceTargetPlan>& targets =
      c.plan().service_levels.targets;
  std::vector<std::string> names;
  for (size_t t = 0; t < targets.size(); ++t) {
    if (targets[t].id == id) return static_cast<int>(t);
    names.push_back(targets[t].id);
  }
  std::string message =
      absl::StrCat("unknown service-level target \"", id, "\"");
  std::string best = ClosestMatch(id, names);
  if (!best.empty())
    absl::StrAppend(&message, "; did you mean \"", best, "\"?");
  c.Error(path, element, message);
  return -1;
}

// A history event kind as a CEL string literal's content; false when it
// cannot be one.
bool QuotableKind(absl::string_view kind) {
  for (char ch : kind) {
    if (ch == '\'' || ch == '\\' || ch == '\n' || ch == '\r') return false;
  }
  return true;
}

// Whether `e` names `sla` (the computed sla.* facts), directly or through
// the policy's definitions; `seen` guards against cycles (reported where the
// definitions compile). A macro variable named `sla` counts too.
bool ReadsSla(const Expr& e, const v1::Policy& policy,
              std::vector<std::string>* seen) {
  if (e.kind == ExprKind::kIdent) {
    if (e.name == "sla") return true;
    for (const v1::Definition& d : policy.definitions()) {
      if (d.name() != e.name) continue;
      if (std::find(seen->begin(), seen->end(), d.name()) != seen->end()) {
        return false;
      }
      seen->push_back(d.name());
      ExprDiagnostic diagnostic;
      std::unique_ptr<Expr> body =
          Parse(d.expr(), ProgramLimits{}, &diagnostic);
      return body != nullptr && ReadsSla(*body, policy, seen);
    }
    return false;
  }
  for (const std::unique_ptr<Expr>& child : e.children) {
    if (ReadsSla(*child, policy, seen)) return true;
  }
  return false;
}

// Service-level fields (entitlements' sla, actions' promises) in a policy
// without service_levels.
void ReportWithoutServiceLevels(PolicyCompiler& c) {
  const v1::Policy& policy = c.policy();
  for (int i = 0; i < policy.entitlements_size(); ++i) {
    if (policy.entitlements(i).sla_size() > 0) {
      c.Error(
          absl::StrCat("entitlements[", i, "].sla[0]"),
          absl::StrCat("entitlement \"", policy.entitlements(i).tier(), "\""),
          "the contract states service-level spans but the policy has "
          "no service_levels; declare the targets under service_levels");
    }
  }
  for (int i = 0; i < policy.actions_size(); ++i) {
    if (policy.actions(i).promises_size() > 0) {
      c.Error(absl::StrCat("actions[", i, "].promises[0]"),
              absl::StrCat("action \"", policy.actions(i).id(), "\""),
              "the action promises service levels but the policy has no "
              "service_levels; declare the targets under service_levels");
    }
  }
}

// A span too short to count (under a second; "0.5ns" would make every
// percent a division by zero) or beyond what the calendar counts.
void CheckSpanBounds(PolicyCompiler& c, const Span& span,
                     const std::string& path, absl::string_view element) {
  if (span.length <= absl::ZeroDuration()) return;  // reported elsewhere
  if (span.length < absl::Seconds(1)) {
    c.Error(path, element,
            "a service-level span must be at least 1 second long");
  } else if (span.length > absl::Hours(24) * BusinessCalendar::kMaxSpanDays) {
    c.Error(path, element,
            absl::StrCat("a service-level span must be at most ",
                         BusinessCalendar::kMaxSpanDays, " days long"));
  }
}

}  // namespace

void DeclareServiceLevelFacts(PolicyCompiler& c) {
  const v1::Policy& policy = c.policy();
  if (!policy.has_service_levels()) return;
  ServiceLevelsPlan& plan = c.plan().service_levels;
  plan.present = true;
  absl::flat_hash_set<std::string> ids;
  const v1::ServiceLevels& sl = policy.service_levels();
  for (int i = 0; i < sl.targets_size(); ++i) {
    const v1::ServiceLevelTarget& t = sl.targets(i);
    const std::string path = absl::StrCat("service_levels.targets[", i, "]");
    const std::string element =
        absl::StrCat("service-level target \"", t.id(), "\"");
    ServiceTargetPlan target;
    target.id = t.id();
    target.measure = t.measure();
    if (!ValidTargetId(t.id())) {
      c.Error(path + ".id", element,
              "a target id is [a-z][a-z0-9_]* (conditions read "
              "`sla.<id>.remaining`)");
    } else if (!ids.insert(t.id()).second) {
      c.Error(path + ".id", element,
              absl::StrCat("duplicate target id \"", t.id(), "\""));
    } else {
      for (int f = 0; f < kSlaFactCount; ++f) {
        absl::StatusOr<int32_t> index = c.program().DeclareComputed(
            absl::StrCat("sla.", t.id(), ".", kFactNames[f]), kFactTypes[f]);
        if (!index.ok()) {
          c.Error(path + ".id", element, index.status().message());
          break;
        }
        target.facts[f] = *index;
      }
    }
    plan.targets.push_back(std::move(target));
  }
}

void CompileServiceLevels(PolicyCompiler& c) {
  const v1::Policy& policy = c.policy();
  if (!policy.has_service_levels()) {
    ReportWithoutServiceLevels(c);
    return;
  }
  const v1::ServiceLevels& sl = policy.service_levels();
  ServiceLevelsPlan& plan = c.plan().service_levels;
  const std::string element = "service_levels";
  const int n = static_cast<int>(plan.targets.size());
  if (n == 0) {
    c.Error("service_levels.targets", element,
            "service_levels has no targets; state at least one (e.g. "
            "first_reply)");
  }
  for (int i = 0; i < n; ++i) {
    if (plan.targets[i].measure ==
            v1::ServiceLevelTarget::MEASURE_UNSPECIFIED ||
        MeasureName(plan.targets[i].measure).empty()) {
      // An unset measure has no position of its own: the target's.
      c.Error(absl::StrCat("service_levels.targets[", i, "]"),
              absl::StrCat("service-level target \"", plan.targets[i].id, "\""),
              "a target needs a measure: FIRST_REPLY, NEXT_REPLY or "
              "RESOLUTION");
    }
  }
  plan.calendar = c.Calendar(sl.calendar(), "service_levels.calendar", element);
  plan.customer_message_kind = sl.customer_message_kind().empty()
                                   ? "customer_message"
                                   : sl.customer_message_kind();
  plan.agent_reply_kind =
      sl.agent_reply_kind().empty() ? "agent_reply" : sl.agent_reply_kind();
  plan.status_kind = sl.status_kind().empty() ? "status" : sl.status_kind();
  // One event is one thing: kinds that coincide would let a customer
  // message count as a reply (or a status) and end a clock unseen.
  if (plan.agent_reply_kind == plan.customer_message_kind) {
    c.Error("service_levels.agent_reply_kind", element,
            absl::StrCat("the agent reply kind \"", plan.agent_reply_kind,
                         "\" is also the customer message kind"));
  }
  if (plan.status_kind == plan.customer_message_kind ||
      plan.status_kind == plan.agent_reply_kind) {
    c.Error(
        "service_levels.status_kind", element,
        absl::StrCat("the status kind \"", plan.status_kind, "\" is also the ",
                     plan.status_kind == plan.customer_message_kind
                         ? "customer message"
                         : "agent reply",
                     " kind"));
  }
  if (sl.resolved_statuses().empty()) {
    plan.resolved_statuses = {"solved", "closed"};
  } else {
    plan.resolved_statuses.assign(sl.resolved_statuses().begin(),
                                  sl.resolved_statuses().end());
  }
  // pause_when on its own first: its parse errors point at its own text,
  // and once it parses whole the splice below cannot reshape it.
  std::unique_ptr<Expr> pause_when;
  if (!sl.pause_when().empty()) {
    ExprDiagnostic diagnostic;
    pause_when = Parse(sl.pause_when(), ProgramLimits{}, &diagnostic);
    const ValueType bool_type = ValueType::kBool;
    if (pause_when == nullptr) {
      // Reports the parse error at its position in pause_when.
      c.Expression(sl.pause_when(), &bool_type, "service_levels.pause_when",
                   element);
    } else {
      std::vector<std::string> seen;
      if (ReadsSla(*pause_when, policy, &seen)) {
        c.Error("service_levels.pause_when", element,
                "pause_when cannot read sla.* facts: they are computed from "
                "the pauses");
        pause_when = nullptr;
      }
    }
  }
  if (pause_when != nullptr) {
    if (!QuotableKind(plan.status_kind)) {
      c.Error("service_levels.status_kind", element,
              "a status kind with a quote, backslash or line break cannot be "
              "matched by pause_when");
    } else {
      const std::string prefix =
          absl::StrCat("history.count(e, e.kind == '", plan.status_kind,
                       "' && e.case_id == case.id && (");
      const ValueType int_type = ValueType::kInt;
      plan.pausing = c.Expression(absl::StrCat(prefix, sl.pause_when(), "))"),
                                  &int_type, "service_levels.pause_when",
                                  element, static_cast<int>(prefix.size()));
    }
  }
  plan.priority = sl.priority();
  if (!std::isfinite(sl.weight()) || sl.weight() < 0) {
    c.Error("service_levels.weight", element,
            "weight must be a finite number >= 0");
  }
  plan.weight = sl.weight() == 0 ? 1.0 : sl.weight();

  // Thresholds, ascending by percent.
  std::vector<std::vector<int>> seen(n);
  for (int i = 0; i < sl.thresholds_size(); ++i) {
    const v1::SlaThreshold& th = sl.thresholds(i);
    const std::string path = absl::StrCat("service_levels.thresholds[", i, "]");
    SlaThresholdPlan threshold;
    threshold.percent = th.percent();
    if (th.percent() < 1 || th.percent() > 1000) {
      c.Error(path + ".percent", element,
              absl::StrCat("threshold percent ", th.percent(),
                           " is out of range; it is 1 to 1000"));
    }
    threshold.targets.assign(n, th.targets().empty());
    for (int k = 0; k < th.targets_size(); ++k) {
      int t = TargetIndex(c, th.targets(k),
                          absl::StrCat(path, ".targets[", k, "]"), element);
      if (t >= 0) threshold.targets[t] = true;
    }
    for (int t = 0; t < n; ++t) {
      if (!threshold.targets[t]) continue;
      if (std::find(seen[t].begin(), seen[t].end(), th.percent()) !=
          seen[t].end()) {
        c.Error(
            path + ".percent", element,
            absl::StrCat("target \"", plan.targets[t].id,
                         "\" already has a threshold at ", th.percent(), "%"));
      }
      seen[t].push_back(th.percent());
    }
    for (int k = 0; k < th.recommend_size(); ++k) {
      threshold.recommend.push_back(c.Recommendation(
          th.recommend(k), absl::StrCat(path, ".recommend[", k, "]"), element));
    }
    absl::StatusOr<Template> reason = ParseTemplate(th.reason());
    if (!reason.ok()) {
      c.Error(path + ".reason", element, reason.status().message());
    } else {
      for (const std::string& used : TemplateParams(*reason)) {
        if (IsSpecialParam(used)) continue;
        for (const RecommendationPlan& rec : threshold.recommend) {
          if (std::none_of(
                  rec.params.begin(), rec.params.end(),
                  [&](const ParamPlan& p) { return p.name == used; })) {
            c.Error(path + ".reason", element,
                    absl::StrCat("the reason uses {", used,
                                 "} but a recommended action has no "
                                 "parameter \"",
                                 used, "\""));
            break;
          }
        }
      }
      threshold.reason = *std::move(reason);
    }
    plan.thresholds.push_back(std::move(threshold));
  }
  std::stable_sort(plan.thresholds.begin(), plan.thresholds.end(),
                   [](const SlaThresholdPlan& a, const SlaThresholdPlan& b) {
                     return a.percent < b.percent;
                   });
  for (const SlaThresholdPlan& th : plan.thresholds) {
    for (int t = 0; t < n; ++t) {
      if (th.targets[t]) plan.targets[t].thresholds.push_back(th.percent);
    }
  }

  // The contracts' spans.
  for (int i = 0; i < policy.entitlements_size(); ++i) {
    const v1::Entitlement& e = policy.entitlements(i);
    const std::string element_e =
        absl::StrCat("entitlement \"", e.tier(), "\"");
    std::vector<Span> spans(n);
    std::vector<std::string> within(n);
    for (int k = 0; k < e.sla_size(); ++k) {
      const v1::SlaSpan& s = e.sla(k);
      const std::string path =
          absl::StrCat("entitlements[", i, "].sla[", k, "]");
      int t = TargetIndex(c, s.target(), path + ".target", element_e);
      Span span = c.Duration(s.within(), path + ".within", element_e);
      if (span.length <= absl::ZeroDuration() && !s.within().empty()) {
        // Parse errors are reported by Duration; a zero span is not.
        if (ParseSpan(s.within()).ok()) {
          c.Error(path + ".within", element_e,
                  "a service-level span must be longer than zero");
        }
      } else if (s.within().empty()) {
        c.Error(path + ".within", element_e,
                "a service-level span needs `within`, e.g. "
                "\"business_hours(4)\"");
      }
      CheckSpanBounds(c, span, path + ".within", element_e);
      c.NeedWorkingHours(span, sl.calendar(), plan.calendar, path + ".within",
                         element_e);
      if (t < 0) continue;
      if (spans[t].length > absl::ZeroDuration() || !within[t].empty()) {
        c.Error(path + ".target", element_e,
                absl::StrCat("the contract states target \"", s.target(),
                             "\" twice"));
        continue;
      }
      spans[t] = span;
      within[t] = s.within();
    }
    std::vector<std::string>& readable = plan.readable[e.tier()];
    readable.clear();
    for (const Span& span : spans) readable.push_back(span.Readable());
    plan.spans[e.tier()] = std::move(spans);
    plan.within[e.tier()] = std::move(within);
  }

  // What actions promise.
  for (int i = 0; i < policy.actions_size(); ++i) {
    const v1::Action& a = policy.actions(i);
    const std::string element_a = absl::StrCat("action \"", a.id(), "\"");
    for (int k = 0; k < a.promises_size(); ++k) {
      const v1::SlaSpan& s = a.promises(k);
      const std::string path =
          absl::StrCat("actions[", i, "].promises[", k, "]");
      PromisePlan promise;
      promise.target = TargetIndex(c, s.target(), path + ".target", element_a);
      promise.within = c.Duration(s.within(), path + ".within", element_a);
      if (s.within().empty() ||
          (promise.within.length <= absl::ZeroDuration() &&
           ParseSpan(s.within()).ok())) {
        c.Error(path + ".within", element_a,
                "a promise needs a span longer than zero, e.g. \"1h\"");
      }
      CheckSpanBounds(c, promise.within, path + ".within", element_a);
      c.NeedWorkingHours(promise.within, sl.calendar(), plan.calendar,
                         path + ".within", element_a);
      if (static_cast<size_t>(i) < c.plan().actions.size()) {
        c.plan().actions[i].promises.push_back(std::move(promise));
      }
    }
  }
}

void FinishServiceLevels(PolicyPlan* plan) {
  for (SlaThresholdPlan& th : plan->service_levels.thresholds) {
    for (RecommendationPlan& rec : th.recommend) {
      OrderConjuncts(*plan->program, &rec.when);
    }
  }
}

namespace {

// Fills `*events` with the case's clock events, sorted; false when the
// step budget ran out.
bool GatherClockEvents(const DecideState& state,
                       std::vector<ClockEvent>* events, Outcome* outcome) {
  const ServiceLevelsPlan& sl = state.plan.service_levels;
  events->clear();
  const std::string& case_id = state.context.case_().id();
  const HistoryView& history = state.frame.history();
  for (int k = 0; k < history.size(); ++k) {
    if (!state.frame.ChargeSteps(1)) return false;
    const v1::Event& e = history[k];
    if (e.case_id() != case_id) continue;
    ClockEvent c;
    if (e.kind() == sl.customer_message_kind) {
      c.kind = ClockEvent::Kind::kCustomerMessage;
    } else if (e.kind() == sl.agent_reply_kind) {
      c.kind = ClockEvent::Kind::kAgentReply;
    } else if (e.kind() == sl.status_kind) {
      c.kind = ClockEvent::Kind::kStatus;
      c.resolving =
          std::find(sl.resolved_statuses.begin(), sl.resolved_statuses.end(),
                    e.ref()) != sl.resolved_statuses.end();
    } else {
      continue;
    }
    c.at = ToTime(e.at());
    c.index = history.index(k);
    events->push_back(c);
  }
  if (sl.pausing >= 0) {
    std::vector<int32_t>& counted = state.buffers.counted;
    counted.clear();
    Value v =
        state.plan.program->EvaluateCounting(sl.pausing, state.frame, &counted);
    if (!state.frame.budget_status().ok()) return false;
    if (v.type == ValueType::kError) {
      // Fail closed: the clocks do not pause (the standard never loosens).
      FlagRestrictionErrored(SourceRef{SourceKind::kServiceLevel, 0, kId},
                             "service_levels.pause_when", v.string_value,
                             outcome);
    } else {
      // Both in history order.
      size_t j = 0;
      for (ClockEvent& c : *events) {
        while (j < counted.size() && counted[j] < c.index) ++j;
        c.pausing = c.kind == ClockEvent::Kind::kStatus && j < counted.size() &&
                    counted[j] == c.index;
      }
    }
  }
  std::sort(events->begin(), events->end(),
            [](const ClockEvent& a, const ClockEvent& b) {
              return a.at < b.at || (a.at == b.at && a.index < b.index);
            });
  return true;
}

int64_t Nanos(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

void SetFacts(const ServiceTargetPlan& target, const ServiceLevelState& s,
              Frame& frame) {
  const bool none = s.state == SlaState::kNone;
  for (int f = 0; f < kSlaFactCount; ++f) {
    const int32_t index = target.facts[f];
    if (index < 0) continue;
    Value v = Value::Error("unset");
    switch (static_cast<SlaFact>(f)) {
      case SlaFact::kState:
        v = Value::String(Name(s.state));
        break;
      case SlaFact::kElapsed:
        v = Value::Duration(Nanos(s.elapsed));
        break;
      case SlaFact::kRemaining:
        if (!none) v = Value::Duration(Nanos(s.remaining));
        break;
      case SlaFact::kDue:
        if (!none && s.due != absl::InfiniteFuture()) {
          v = Value::Timestamp(absl::ToUnixNanos(s.due));
        }
        break;
      case SlaFact::kPercent:
        v = Value::Int(s.percent);
        break;
      case SlaFact::kThreshold:
        v = Value::Int(s.threshold);
        break;
      case SlaFact::kPaused:
        v = Value::Bool(s.paused);
        break;
      case SlaFact::kBreached:
        v = Value::Bool(s.state == SlaState::kBreached ||
                        s.state == SlaState::kMissed);
        break;
    }
    frame.SetComputed(index, v);
  }
}

}  // namespace

void PrepareServiceLevels(const DecideState& state, Outcome* outcome) {
  const PolicyPlan& plan = state.plan;
  const ServiceLevelsPlan& sl = plan.service_levels;
  if (!sl.present) return;
  const int n = static_cast<int>(sl.targets.size());
  outcome->service_levels.resize(n);
  for (ServiceLevelState& s : outcome->service_levels) s = ServiceLevelState{};
  std::vector<ClockEvent>& events = state.buffers.clock_events;
  if (!GatherClockEvents(state, &events, outcome)) return;

  // The customer's contract.
  const std::string& tier = state.context.customer().tier();
  const std::vector<Span>* spans = nullptr;
  const std::vector<std::string>* within = nullptr;
  const std::vector<std::string>* readable = nullptr;
  absl::string_view entitlement;
  auto it = sl.spans.find(tier);
  if (it == sl.spans.end() && !plan.entitlements.default_tier.empty()) {
    it = sl.spans.find(plan.entitlements.default_tier);
  }
  if (it != sl.spans.end()) {
    entitlement = it->first;
    spans = &it->second;
    within = &sl.within.find(it->first)->second;
    readable = &sl.readable.find(it->first)->second;
  }
  const BusinessCalendar& calendar = sl.calendar >= 0
                                         ? plan.calendars[sl.calendar]
                                         : BusinessCalendar::AlwaysOpen();
  const v1::Case& c = state.context.case_();
  ClockInput in;
  in.opened_at =
      c.has_opened_at() ? ToTime(c.opened_at()) : absl::InfinitePast();
  in.events = events;
  in.now = state.now;
  in.calendar = &calendar;
  for (int t = 0; t < n; ++t) {
    const ServiceTargetPlan& target = sl.targets[t];
    ServiceLevelState& s = outcome->service_levels[t];
    s.tier = tier;
    s.entitlement = entitlement;
    in.span = Span{};
    if (spans != nullptr && (*spans)[t].length > absl::ZeroDuration()) {
      s.within = &(*spans)[t];
      s.within_text = (*within)[t];
      s.within_readable = (*readable)[t];
      in.span = (*spans)[t];
    }
    if (!state.frame.ChargeSteps(static_cast<int64_t>(events.size()) + 1)) {
      return;
    }
    in.measure = static_cast<ClockMeasure>(target.measure);
    in.thresholds = target.thresholds;
    RunClock(in, &s);
    SetFacts(target, s, state.frame);
  }
}

namespace {

// "first_reply@75"
std::string ThresholdName(absl::string_view target, int percent) {
  return absl::StrCat(target, "@", percent);
}

// Fills `*out` with `tmpl`, its {target}, {due}, {percent} and {within}
// replaced by their text (reusing `*out`'s storage).
void FillReason(const Template& tmpl, absl::string_view target,
                absl::string_view due, int percent, absl::string_view within,
                Template* out) {
  out->resize(tmpl.size());
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const TemplatePart& part = tmpl[i];
    TemplatePart& o = (*out)[i];
    o.as_money = part.as_money;
    o.is_param = false;
    if (!part.is_param || !IsSpecialParam(part.text)) {
      o.is_param = part.is_param;
      o.text.assign(part.text);
    } else if (part.text == "target") {
      o.text.assign(target.data(), target.size());
    } else if (part.text == "due") {
      o.text.assign(due.data(), due.size());
    } else if (part.text == "percent") {
      o.text.clear();
      absl::StrAppend(&o.text, percent);
    } else {
      o.text.assign(within.data(), within.size());
    }
  }
}

}  // namespace

bool HasServiceLevels(const PolicyPlan& plan) {
  return plan.service_levels.present;
}

void ProposeServiceLevels(const DecideState& state, Outcome* outcome) {
  const PolicyPlan& plan = state.plan;
  const ServiceLevelsPlan& sl = plan.service_levels;
  if (!sl.present) return;
  const SourceRef source{SourceKind::kServiceLevel, 0, kId};
  const int n = static_cast<int>(sl.targets.size());
  if (static_cast<int>(outcome->service_levels.size()) != n) return;
  v1::ConstructTrace* entry = nullptr;
  v1::ServiceLevelTrace* trace = nullptr;
  if (state.construct_trace != nullptr) {
    entry = AddConstructTrace(state.construct_trace, SourceKind::kServiceLevel,
                              kId);
    trace = entry->mutable_service_level();
    for (int t = 0; t < n; ++t) {
      WriteServiceLevelStatus(sl.targets[t], outcome->service_levels[t],
                              trace->add_targets());
    }
  }
  const bool stopped = outcome->Stopped(sl.priority);
  const std::string& case_id = state.context.case_().id();
  std::string& due = state.buffers.due;
  std::string& fallback = state.buffers.fallback;
  std::vector<int64_t>& recorded = state.buffers.steps;  // at < now
  std::string& breached = state.buffers.text;
  breached.clear();
  int acted = 0;
  for (int t = 0; t < n; ++t) {
    const ServiceTargetPlan& target = sl.targets[t];
    const ServiceLevelState& s = outcome->service_levels[t];
    if (s.state == SlaState::kBreached && !s.resolved) {
      absl::StrAppend(&breached, breached.empty() ? "" : ", ", target.id);
    }
    const bool running = s.state == SlaState::kOk ||
                         s.state == SlaState::kAtRisk ||
                         s.state == SlaState::kBreached;
    // A resolved case acts on no threshold until it reopens.
    if (!running || s.threshold <= 0 || s.resolved) continue;
    // This clock run's recorded thresholds.
    recorded.clear();
    bool recorded_now = false;
    for (const v1::Event& e : state.frame.history()) {
      if (!state.frame.ChargeSteps(1)) return;
      if (e.kind() != Name(EffectKind::kSlaThreshold) || e.ref() != target.id ||
          e.case_id() != case_id) {
        continue;
      }
      const absl::Time at = ToTime(e.at());
      if (at < s.started) continue;
      if (at == state.now && !case_id.empty()) {
        if (e.step() == s.threshold) recorded_now = true;
        continue;
      }
      recorded.push_back(e.step());
    }
    if (std::find(recorded.begin(), recorded.end(), s.threshold) !=
        recorded.end()) {
      if (trace != nullptr) {
        trace->add_already_recorded(ThresholdName(target.id, s.threshold));
      }
      continue;
    }
    if (trace != nullptr) {
      for (int p : target.thresholds) {
        if (p >= s.threshold) break;
        if (std::find(recorded.begin(), recorded.end(), p) == recorded.end()) {
          trace->add_superseded(ThresholdName(target.id, p));
        }
      }
    }
    if (stopped) continue;
    const SlaThresholdPlan* th = nullptr;
    for (const SlaThresholdPlan& candidate : sl.thresholds) {
      if (candidate.percent == s.threshold && candidate.targets[t]) {
        th = &candidate;
        break;
      }
    }
    if (th == nullptr) continue;
    due.clear();
    AppendUtc(s.due, &due);
    const absl::string_view readable = s.within_readable;
    fallback.clear();
    absl::StrAppend(&fallback, target.id, ": ", s.threshold, "% of ", readable,
                    " used, due ", due, ".");
    Template& reason = state.buffers.sla_reason;
    FillReason(th->reason, target.id, due, s.threshold, readable, &reason);
    Proposer proposer{source,      &reason,   fallback,
                      sl.priority, sl.weight, kUnstaged};
    const EffectRef effect{EffectKind::kSlaThreshold, target.id, 0,
                           s.threshold};
    bool carried = false;
    for (const RecommendationPlan& rec : th->recommend) {
      if (!Propose(plan, rec, proposer, state.frame, outcome)) continue;
      // Every action proposed carries the effect, so it is recorded when
      // any of them is recommended (one may be vetoed or held); the
      // decision writer writes it once (WriteRanking).
      if (!recorded_now) outcome->candidates.back().effects.push_back(effect);
      carried = true;
    }
    if (th->recommend.empty() && !recorded_now) {
      outcome->effects.push_back(effect);
      carried = true;
    }
    if (carried) {
      ++acted;
      if (trace != nullptr) {
        trace->add_acted(ThresholdName(target.id, s.threshold));
      }
    }
  }
  if (!breached.empty()) {
    FlagRef& flag = outcome->flags.Add();
    flag.code = FlagCode::kSlaBreached;
    absl::StrAppend(
        flag.source.StartRendered(source), "Past due on service-level target",
        breached.find(',') == std::string::npos ? " " : "s ", breached, ".");
  }
  if (entry != nullptr) {
    std::string* summary = entry->mutable_summary();
    if (stopped && trace->acted_size() == 0) {
      entry->set_stopped(true);
      summary->assign(
          "Stopped: a final rule of higher priority fired, so no threshold "
          "acts (nor is recorded).");
      return;
    }
    summary->clear();
    const char* sep = "";
    for (int t = 0; t < n; ++t) {
      const ServiceLevelState& s = outcome->service_levels[t];
      absl::StrAppend(summary, sep, sl.targets[t].id, ": ", Name(s.state));
      sep = "; ";
      if (s.state == SlaState::kNone) {
        if (s.within == nullptr) {
          summary->append(" (the contract states no such target)");
        } else if (sl.targets[t].measure !=
                       v1::ServiceLevelTarget::NEXT_REPLY &&
                   !state.context.case_().has_opened_at()) {
          summary->append(" (case.opened_at is not set)");
        } else {
          summary->append(" (the clock has not started)");
        }
        continue;
      }
      absl::StrAppend(summary, ", ", s.percent, "% of ", s.within_readable,
                      s.paused ? ", paused" : "");
      if (s.due != absl::InfiniteFuture()) {
        summary->append(", due ");
        AppendUtc(s.due, summary);
      }
    }
    summary->append(".");
    if (acted > 0) {
      absl::StrAppend(summary, " Acted on ", acted,
                      acted == 1 ? " threshold." : " thresholds.");
    }
  }
}

namespace {

// Whether a protobuf Timestamp holds `t` (years 1 to 9999): a case opened
// near either end of that range can start or fall due beyond it, and an
// out-of-range Timestamp is invalid JSON, so such a time is left absent.
bool FitsTimestamp(absl::Time t) {
  return t >= absl::FromUnixSeconds(-62135596800) &&
         t < absl::FromUnixSeconds(253402300800);
}

// Sets `*out` to `d` clamped to a protobuf Duration's range (+-10000
// years).
void SetStatusDuration(absl::Duration d, google::protobuf::Duration* out) {
  static const absl::Duration kMax =
      absl::Seconds(315576000000) + absl::Nanoseconds(999999999);
  SetTraceDuration(std::max(-kMax, std::min(kMax, d)), out);
}

}  // namespace

void WriteServiceLevelStatus(const ServiceTargetPlan& target,
                             const ServiceLevelState& s,
                             v1::ServiceLevelStatus* out) {
  out->mutable_target()->assign(target.id);
  const absl::string_view measure = MeasureName(target.measure);
  out->mutable_measure()->assign(measure.data(), measure.size());
  out->mutable_tier()->assign(s.tier.data(), s.tier.size());
  out->mutable_entitlement()->assign(s.entitlement.data(),
                                     s.entitlement.size());
  out->mutable_within()->assign(s.within_text.data(), s.within_text.size());
  const absl::string_view state = Name(s.state);
  out->mutable_state()->assign(state.data(), state.size());
  const bool none = s.state == SlaState::kNone;
  // Timestamps and durations an earlier status held are kept for reuse
  // (decision_writer.h).
  using Status = v1::ServiceLevelStatus;
  if (!none && FitsTimestamp(s.started)) {
    if (!out->has_started_at())
      AdoptSpare(out, &Status::set_allocated_started_at);
    SetTraceTime(s.started, out->mutable_started_at());
  } else {
    DropToSpares(out, &Status::release_started_at, &Status::clear_started_at);
  }
  if (!none && FitsTimestamp(s.stopped)) {
    if (!out->has_stopped_at())
      AdoptSpare(out, &Status::set_allocated_stopped_at);
    SetTraceTime(s.stopped, out->mutable_stopped_at());
  } else {
    DropToSpares(out, &Status::release_stopped_at, &Status::clear_stopped_at);
  }
  if (!none && FitsTimestamp(s.due)) {
    if (!out->has_due_at()) AdoptSpare(out, &Status::set_allocated_due_at);
    SetTraceTime(s.due, out->mutable_due_at());
  } else {
    DropToSpares(out, &Status::release_due_at, &Status::clear_due_at);
  }
  if (!none) {
    if (!out->has_elapsed()) AdoptSpare(out, &Status::set_allocated_elapsed);
    if (!out->has_remaining()) {
      AdoptSpare(out, &Status::set_allocated_remaining);
    }
    SetStatusDuration(s.elapsed, out->mutable_elapsed());
    SetStatusDuration(s.remaining, out->mutable_remaining());
  } else {
    DropToSpares(out, &Status::release_elapsed, &Status::clear_elapsed);
    DropToSpares(out, &Status::release_remaining, &Status::clear_remaining);
  }
  out->set_percent(s.percent);
  out->set_threshold(s.threshold);
  out->set_paused(s.paused);
}

}  // namespace tact::internal
