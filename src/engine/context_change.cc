// tact::ApplyChange: one change of a why-not path applied to a context and
// the options it is decided with.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/expr/history_view.h"
#include "src/policy/condition_change.h"
#include "src/policy/constructs/common.h"
#include "tact/engine.h"

namespace tact {
namespace {

// Removes the newest events (at or before `now`) of the change's kind and
// ref until its count and amount are met, or none is left.
absl::Status RemoveEvents(const v1::ContextChange& change,
                          v1::Context* context) {
  if (change.event_kind().empty()) {
    return absl::InvalidArgumentError(
        "a remove_events change needs an event_kind");
  }
  if (change.count() < 0 || change.amount() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a remove_events change removes a count and an amount of at least 0, "
        "not count ",
        change.count(), " and amount ", change.amount()));
  }
  if (change.count() == 0 && change.amount() == 0) {
    return absl::InvalidArgumentError(
        "a remove_events change needs a count or an amount of events to "
        "remove");
  }
  // Positions of the matching events, newest first (the later position
  // first among events at the same time).
  std::vector<int> matching;
  for (int i = 0; i < context->history_size(); ++i) {
    const v1::Event& e = context->history(i);
    if (e.kind() != change.event_kind()) continue;
    if (!change.event_ref().empty() && e.ref() != change.event_ref()) continue;
    if (!internal::HistoryView::Visible(e, context->now())) continue;
    matching.push_back(i);
  }
  std::stable_sort(matching.begin(), matching.end(), [&](int a, int b) {
    absl::Time ta = internal::ToTime(context->history(a).at());
    absl::Time tb = internal::ToTime(context->history(b).at());
    return ta != tb ? ta > tb : a > b;
  });
  std::vector<bool> remove(context->history_size(), false);
  int64_t removed = 0;
  int64_t amount = 0;
  for (int i : matching) {
    if (removed >= change.count() && amount >= change.amount()) break;
    remove[i] = true;
    ++removed;
    const int64_t a = context->history(i).amount();
    amount = a > 0 && amount > INT64_MAX - a ? INT64_MAX : amount + a;
  }
  int kept = 0;
  auto* history = context->mutable_history();
  for (int i = 0; i < history->size(); ++i) {
    if (remove[i]) continue;
    if (kept != i) history->SwapElements(kept, i);
    ++kept;
  }
  while (history->size() > kept) history->RemoveLast();
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyChange(const v1::ContextChange& change, v1::Context* context,
                         DecideOptions* options) {
  const std::string& kind = change.kind();
  if (kind == "set" || kind == "clear") {
    return internal::ApplyFieldChange(change, context);
  }
  if (kind == "remove_events") return RemoveEvents(change, context);
  if (kind == "authority") {
    if (options == nullptr) {
      return absl::InvalidArgumentError(
          "an authority change applies to the DecideOptions, which are null");
    }
    options->authority = change.authority();
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown change kind \"", kind,
                   "\"; the kinds are set, clear, remove_events and "
                   "authority"));
}

}  // namespace tact
