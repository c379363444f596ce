#include "src/engine/simulation_diff.h"

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
#include "absl/time/time.h"
#include "tact/codes.h"
#include "tact/simulation.h"

namespace tact {

static_assert(static_cast<int>(ChangeKind::kFlags) + 1 == kChangeKinds,
              "kChangeKinds counts every ChangeKind");

const char* ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kActionsAdded:
      return "actions_added";
    case ChangeKind::kActionsRemoved:
      return "actions_removed";
    case ChangeKind::kOrder:
      return "order";
    case ChangeKind::kParams:
      return "params";
    case ChangeKind::kDetails:
      return "details";
    case ChangeKind::kBlocked:
      return "blocked";
    case ChangeKind::kNeedsApproval:
      return "needs_approval";
    case ChangeKind::kEffects:
      return "effects";
    case ChangeKind::kFlags:
      return "flags";
  }
  return "unknown";
}

bool FailsGate(const Simulation& sim, DiffGate gate) {
  if (!sim.has_baseline) return false;
  switch (gate) {
    case DiffGate::kNone:
      return false;
    case DiffGate::kAny:
      return sim.changed_count > 0;
    case DiffGate::kMoney:
      return sim.money_changed_count > 0;
    case DiffGate::kActions:
      return sim.actions_changed_count > 0;
  }
  return false;
}

namespace internal {
namespace {

std::string ValueText(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case v1::Value::kIntValue:
      return absl::StrCat(value.int_value());
    case v1::Value::kDoubleValue:
      return absl::StrFormat("%g", value.double_value());
    case v1::Value::kStringValue:
      return absl::StrCat("\"", value.string_value(), "\"");
    case v1::Value::kTimestampValue:
      return absl::FormatTime(
          absl::RFC3339_full,
          absl::FromUnixSeconds(value.timestamp_value().seconds()) +
              absl::Nanoseconds(value.timestamp_value().nanos()),
          absl::UTCTimeZone());
    case v1::Value::kDurationValue:
      return absl::FormatDuration(
          absl::Seconds(value.duration_value().seconds()) +
          absl::Nanoseconds(value.duration_value().nanos()));
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return "(unset)";
}

std::string SourceOf(const v1::Reason& reason) {
  return absl::StrCat(reason.source_kind(), " ", reason.source_id());
}

// An action's sources, distinct, in order: "rule x, ladder y".
std::string SourcesOf(const v1::RecommendedAction& action) {
  std::vector<std::string> sources;
  for (const v1::Reason& r : action.reasons()) {
    std::string source = SourceOf(r);
    if (std::find(sources.begin(), sources.end(), source) == sources.end()) {
      sources.push_back(std::move(source));
    }
  }
  return absl::StrJoin(sources, ", ");
}

// name -> value text, and the int value of the amount parameter if any.
struct Params {
  std::map<std::string, std::string> text;
  std::map<std::string, int64_t> ints;
};

Params ParamsOf(const v1::RecommendedAction& action) {
  Params p;
  for (const v1::Param& param : action.params()) {
    p.text[param.name()] = ValueText(param.value());
    if (param.value().kind_case() == v1::Value::kIntValue) {
      p.ints[param.name()] = param.value().int_value();
    }
  }
  return p;
}

// The amount of `action` in minor units when it is a monetary action of
// the policy with `amounts` and its amount is an int; else 0.
int64_t AmountOf(const v1::RecommendedAction& action,
                 const AmountParams& amounts) {
  auto it = amounts.find(action.action());
  if (it == amounts.end()) return 0;
  for (const v1::Param& p : action.params()) {
    if (p.name() == it->second &&
        p.value().kind_case() == v1::Value::kIntValue) {
      return p.value().int_value();
    }
  }
  return 0;
}

bool IsAmountParam(const std::string& action, const std::string& param,
                   const AmountParams& amounts) {
  auto it = amounts.find(action);
  return it != amounts.end() && it->second == param;
}

const v1::RecommendedAction* Find(
    const google::protobuf::RepeatedPtrField<v1::RecommendedAction>& actions,
    const std::string& id) {
  for (const v1::RecommendedAction& a : actions) {
    if (a.action() == id) return &a;
  }
  return nullptr;
}

class Differ {
 public:
  Differ(const AmountParams& before_amounts, const AmountParams& after_amounts,
         const std::string& currency)
      : before_amounts_(before_amounts),
        after_amounts_(after_amounts),
        currency_(currency) {}

  void Add(ChangeKind kind, std::string text, int64_t money = 0) {
    if (money != 0) {
      absl::StrAppend(&text, " (", FormatMoneyDelta(money, currency_), ")");
    }
    diff_.changes.push_back({kind, std::move(text), money});
  }

  // Parameter changes of `id` (in both), as "<prefix>name before -> after".
  void DiffParams(ChangeKind kind, const std::string& prefix,
                  const std::string& id, const v1::RecommendedAction& before,
                  const v1::RecommendedAction& after) {
    const Params b = ParamsOf(before), a = ParamsOf(after);
    std::set<std::string> names;
    for (const auto& [name, text] : b.text) names.insert(name);
    for (const auto& [name, text] : a.text) names.insert(name);
    for (const std::string& name : names) {
      auto bt = b.text.find(name), at = a.text.find(name);
      const std::string before_text =
          bt == b.text.end() ? "(none)" : bt->second;
      const std::string after_text = at == a.text.end() ? "(none)" : at->second;
      if (before_text == after_text) continue;
      int64_t money = 0;
      if (IsAmountParam(id, name, before_amounts_) ||
          IsAmountParam(id, name, after_amounts_)) {
        auto bi = b.ints.find(name), ai = a.ints.find(name);
        money = (ai == a.ints.end() ? 0 : ai->second) -
                (bi == b.ints.end() ? 0 : bi->second);
      }
      Add(kind,
          absl::StrCat(prefix, id, " ", name, " ", before_text, " -> ",
                       after_text),
          money);
    }
  }

  void DiffActions(const v1::Decision& before, const v1::Decision& after) {
    std::vector<std::string> common_before, common_after;
    for (const v1::RecommendedAction& a : after.actions()) {
      if (Find(before.actions(), a.action()) == nullptr) {
        Add(ChangeKind::kActionsAdded,
            absl::StrCat("+", a.action(), " (", SourcesOf(a), ")"),
            AmountOf(a, after_amounts_));
      } else {
        common_after.push_back(a.action());
      }
    }
    for (const v1::RecommendedAction& b : before.actions()) {
      if (Find(after.actions(), b.action()) == nullptr) {
        Add(ChangeKind::kActionsRemoved,
            absl::StrCat("-", b.action(), " (was ", SourcesOf(b), ")"),
            -AmountOf(b, before_amounts_));
      } else {
        common_before.push_back(b.action());
      }
    }
    if (common_before != common_after) {
      Add(ChangeKind::kOrder,
          absl::StrCat("order ", absl::StrJoin(common_before, ", "), " -> ",
                       absl::StrJoin(common_after, ", ")));
    }
    for (const std::string& id : common_after) {
      DiffParams(ChangeKind::kParams, "", id, *Find(before.actions(), id),
                 *Find(after.actions(), id));
    }
    for (const std::string& id : common_after) {
      DiffDetails(id, *Find(before.actions(), id), *Find(after.actions(), id));
    }
  }

  void DiffDetails(const std::string& id, const v1::RecommendedAction& b,
                   const v1::RecommendedAction& a) {
    auto quoted = [](const std::string& s) {
      return absl::StrCat("\"", s, "\"");
    };
    if (b.title() != a.title()) {
      Add(ChangeKind::kDetails, absl::StrCat(id, " title ", quoted(b.title()),
                                             " -> ", quoted(a.title())));
    }
    // The text fills in the parameters: with other parameters it differs
    // anyway, and the params lines say how.
    if (b.text() != a.text() && ParamsOf(b).text == ParamsOf(a).text) {
      Add(ChangeKind::kDetails, absl::StrCat(id, " text ", quoted(b.text()),
                                             " -> ", quoted(a.text())));
    }
    std::vector<std::string> bt(b.tags().begin(), b.tags().end());
    std::vector<std::string> at(a.tags().begin(), a.tags().end());
    if (bt != at) {
      Add(ChangeKind::kDetails,
          absl::StrCat(id, " tags [", absl::StrJoin(bt, ", "), "] -> [",
                       absl::StrJoin(at, ", "), "]"));
    }
    if (b.beyond_contract() != a.beyond_contract()) {
      Add(ChangeKind::kDetails,
          absl::StrCat(id, " beyond_contract ",
                       b.beyond_contract() ? "true" : "false", " -> ",
                       a.beyond_contract() ? "true" : "false"));
    }
    if (b.playbook_stage() != a.playbook_stage()) {
      Add(ChangeKind::kDetails,
          absl::StrCat(id, " playbook_stage ", quoted(b.playbook_stage()),
                       " -> ", quoted(a.playbook_stage())));
    }
  }

  void DiffBlocked(const v1::Decision& before, const v1::Decision& after) {
    // action -> "code by source" (joined by "; " if blocked more than once),
    // with the actions in order of first appearance.
    auto index = [](const v1::Decision& d) {
      std::vector<std::string> order;
      std::map<std::string, std::string> why;
      for (const v1::BlockedAction& b : d.blocked()) {
        std::string text =
            absl::StrCat(b.code(), " by ", SourceOf(b.blocked_by()));
        auto [it, inserted] = why.emplace(b.action(), text);
        if (inserted) {
          order.push_back(b.action());
        } else {
          absl::StrAppend(&it->second, "; ", text);
        }
      }
      return std::make_pair(order, why);
    };
    const auto [before_order, before_why] = index(before);
    const auto [after_order, after_why] = index(after);
    for (const std::string& action : after_order) {
      auto it = before_why.find(action);
      const std::string& now = after_why.at(action);
      if (it == before_why.end()) {
        Add(ChangeKind::kBlocked,
            absl::StrCat("blocked +", action, " (", now, ")"));
      } else if (it->second != now) {
        Add(ChangeKind::kBlocked,
            absl::StrCat("blocked ", action, " ", it->second, " -> ", now));
      }
    }
    for (const std::string& action : before_order) {
      if (after_why.count(action) == 0) {
        Add(ChangeKind::kBlocked, absl::StrCat("blocked -", action, " (was ",
                                               before_why.at(action), ")"));
      }
    }
  }

  void DiffApprovals(const v1::Decision& before, const v1::Decision& after) {
    for (const v1::RecommendedAction& a : after.needs_approval()) {
      const v1::RecommendedAction* b =
          Find(before.needs_approval(), a.action());
      if (b == nullptr) {
        Add(ChangeKind::kNeedsApproval,
            absl::StrCat("needs_approval +", a.action(), " (authority ",
                         a.required_authority(), ")"));
        continue;
      }
      if (b->required_authority() != a.required_authority()) {
        Add(ChangeKind::kNeedsApproval,
            absl::StrCat("needs_approval ", a.action(), " authority ",
                         b->required_authority(), " -> ",
                         a.required_authority()));
      }
      DiffParams(ChangeKind::kNeedsApproval, "needs_approval ", a.action(), *b,
                 a);
    }
    for (const v1::RecommendedAction& b : before.needs_approval()) {
      if (Find(after.needs_approval(), b.action()) == nullptr) {
        Add(ChangeKind::kNeedsApproval,
            absl::StrCat("needs_approval -", b.action(), " (was authority ",
                         b.required_authority(), ")"));
      }
    }
  }

  void DiffEffects(const v1::Decision& before, const v1::Decision& after) {
    using Key = std::pair<std::string, std::string>;  // kind, ref
    struct Side {
      std::vector<std::string> text;  // "amount 1500 step 2" per effect
      int64_t amount = 0;
    };
    auto index = [](const v1::Decision& d) {
      std::vector<Key> order;
      std::map<Key, Side> sides;
      for (const v1::Effect& e : d.effects()) {
        Key key{e.kind(), e.ref()};
        auto [it, inserted] = sides.try_emplace(key);
        if (inserted) order.push_back(key);
        std::vector<std::string> parts;
        if (e.amount() != 0)
          parts.push_back(absl::StrCat("amount ", e.amount()));
        if (e.step() != 0) parts.push_back(absl::StrCat("step ", e.step()));
        it->second.text.push_back(absl::StrJoin(parts, " "));
        it->second.amount += e.amount();
      }
      return std::make_pair(order, sides);
    };
    auto name = [](const Key& key) {
      return key.second.empty() ? key.first
                                : absl::StrCat(key.first, " ", key.second);
    };
    auto text = [](const Side& side) { return absl::StrJoin(side.text, "; "); };
    auto goodwill = [](const Key& key, const Side& side) -> int64_t {
      return key.first == Name(EffectKind::kGoodwill) ? side.amount : 0;
    };
    const auto [before_order, before_sides] = index(before);
    const auto [after_order, after_sides] = index(after);
    for (const Key& key : after_order) {
      const Side& a = after_sides.at(key);
      diff_.goodwill_delta += goodwill(key, a);
      auto it = before_sides.find(key);
      if (it == before_sides.end()) {
        std::string t = text(a);
        Add(ChangeKind::kEffects,
            absl::StrCat("effect +", name(key), t.empty() ? "" : " ", t),
            goodwill(key, a));
      } else if (it->second.text != a.text) {
        Add(ChangeKind::kEffects,
            absl::StrCat("effect ", name(key), " ", text(it->second), " -> ",
                         text(a)),
            goodwill(key, a) - goodwill(key, it->second));
      }
    }
    for (const Key& key : before_order) {
      const Side& b = before_sides.at(key);
      diff_.goodwill_delta -= goodwill(key, b);
      if (after_sides.count(key) == 0) {
        std::string t = text(b);
        Add(ChangeKind::kEffects,
            absl::StrCat("effect -", name(key), t.empty() ? "" : " ", t),
            -goodwill(key, b));
      }
    }
  }

  void DiffFlags(const v1::Decision& before, const v1::Decision& after) {
    auto flags = [](const v1::Decision& d) {
      std::vector<std::string> out;
      for (const v1::Flag& f : d.flags()) {
        out.push_back(absl::StrCat(f.code(), " (", SourceOf(f.source()), ")"));
      }
      return out;
    };
    const std::vector<std::string> b = flags(before), a = flags(after);
    for (const std::string& f : a) {
      if (std::find(b.begin(), b.end(), f) == b.end()) {
        Add(ChangeKind::kFlags, absl::StrCat("flag +", f));
      }
    }
    for (const std::string& f : b) {
      if (std::find(a.begin(), a.end(), f) == a.end()) {
        Add(ChangeKind::kFlags, absl::StrCat("flag -", f));
      }
    }
  }

  DecisionDiff Finish() {
    std::stable_sort(diff_.changes.begin(), diff_.changes.end(),
                     [](const Change& x, const Change& y) {
                       return static_cast<int>(x.kind) <
                              static_cast<int>(y.kind);
                     });
    return std::move(diff_);
  }

 private:
  const AmountParams& before_amounts_;
  const AmountParams& after_amounts_;
  const std::string& currency_;
  DecisionDiff diff_;
};

}  // namespace

std::string FormatMoneyDelta(int64_t minor_units, const std::string& currency) {
  const char* sign = minor_units < 0 ? "-" : "+";
  uint64_t abs_units = minor_units < 0 ? 0 - static_cast<uint64_t>(minor_units)
                                       : static_cast<uint64_t>(minor_units);
  std::string out =
      absl::StrFormat("%s%d.%02d", sign, abs_units / 100, abs_units % 100);
  if (!currency.empty()) absl::StrAppend(&out, " ", currency);
  return out;
}

AmountParams AmountParamsOf(const v1::Policy& policy) {
  AmountParams amounts;
  for (const v1::Action& action : policy.actions()) {
    if (!action.amount_param().empty()) {
      amounts[action.id()] = action.amount_param();
    }
  }
  return amounts;
}

DecisionDiff DiffDecisions(const v1::Decision& before,
                           const AmountParams& before_amounts,
                           const v1::Decision& after,
                           const AmountParams& after_amounts,
                           const std::string& currency) {
  Differ differ(before_amounts, after_amounts, currency);
  differ.DiffActions(before, after);
  differ.DiffBlocked(before, after);
  differ.DiffApprovals(before, after);
  differ.DiffEffects(before, after);
  differ.DiffFlags(before, after);
  return differ.Finish();
}

std::vector<ChangeKind> KindsOf(const std::vector<Change>& changes) {
  std::vector<ChangeKind> kinds;
  for (const Change& c : changes) {
    if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end()) {
      kinds.push_back(c.kind);
    }
  }
  std::sort(kinds.begin(), kinds.end());
  return kinds;
}

}  // namespace internal
}  // namespace tact
