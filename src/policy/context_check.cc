#include "src/policy/context_check.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "src/common/context_fields.h"
#include "src/common/timestamp_bounds.h"
#include "src/expr/context_schema.h"

namespace tact::internal {
namespace {

absl::Status CheckTimestamp(const google::protobuf::Timestamp& t,
                            absl::string_view field) {
  if (t.seconds() < kMinTimestampSeconds ||
      t.seconds() > kMaxTimestampSeconds || t.nanos() < 0 ||
      t.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.", field, ": timestamp out of range (seconds=", t.seconds(),
        ", nanos=", t.nanos(), "); expected a time between years 1 and 9999"));
  }
  return absl::OkStatus();
}

absl::Status CheckDuration(const google::protobuf::Duration& d,
                           absl::string_view field) {
  bool sign_ok = d.seconds() == 0 || d.nanos() == 0 ||
                 (d.seconds() > 0) == (d.nanos() > 0);
  if (d.seconds() < -kMaxDurationSeconds || d.seconds() > kMaxDurationSeconds ||
      d.nanos() < -999999999 || d.nanos() > 999999999 || !sign_ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.", field, ": duration out of range (seconds=", d.seconds(),
        ", nanos=", d.nanos(), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckDouble(double value, absl::string_view field) {
  if (std::isfinite(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "context.", field, ": ", std::isnan(value) ? "NaN" : "an infinity",
      " is not a number tact decides on; send a finite value or leave the "
      "field unset"));
}

absl::Status CheckString(const std::string& value, absl::string_view field,
                         int64_t max_bytes) {
  if (static_cast<int64_t>(value.size()) <= max_bytes) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("context.", field, ": a string of ", value.size(),
                   " bytes exceeds max_string_bytes (", max_bytes, ")"));
}

// One pass of the checks that name the field: the kinds of leaf it checks,
// and whether it checks the visited message's own leaves (kOwn) or only
// those inside its messages, its repeated messages' elements or its maps'
// values. Keeps the first failure in status().
class NamedCheck : public ContextFieldVisitor {
 public:
  enum Leaves { kStrings = 1, kDoubles = 2, kTimes = 4 };
  enum Where { kOwn, kMessages, kElements, kEntries };

  NamedCheck(int leaves, Where where, int64_t max_string_bytes,
             std::string prefix = "", const std::string* fixed_path = nullptr)
      : leaves_(leaves),
        where_(where),
        max_(max_string_bytes),
        prefix_(std::move(prefix)),
        fixed_path_(fixed_path) {}

  const absl::Status& status() const { return status_; }

  bool String(ContextFieldInfo f, const std::string& value) {
    if (where_ != kOwn || !(leaves_ & kStrings) ||
        static_cast<int64_t>(value.size()) <= max_) {
      return true;
    }
    return Keep(CheckString(value, Path(f), max_));
  }
  bool Double(ContextFieldInfo f, double value) {
    if (where_ != kOwn || !(leaves_ & kDoubles)) return true;
    return Keep(CheckDouble(value, Path(f)));
  }
  bool Timestamp(ContextFieldInfo f, bool has,
                 const google::protobuf::Timestamp& t) {
    if (where_ != kOwn || !(leaves_ & kTimes) || !has) return true;
    return Keep(CheckTimestamp(t, Path(f)));
  }
  bool Duration(ContextFieldInfo f, bool has,
                const google::protobuf::Duration& d) {
    if (where_ != kOwn || !(leaves_ & kTimes) || !has) return true;
    return Keep(CheckDuration(d, Path(f)));
  }
  template <typename Sub>
  bool Message(ContextFieldInfo f, bool, const Sub& message) {
    if (where_ != kMessages) return true;
    return Inner(message, absl::StrCat(Path(f), "."));
  }
  template <typename Sub>
  bool Repeated(ContextFieldInfo f,
                const google::protobuf::RepeatedPtrField<Sub>& list) {
    if (where_ != kElements) return true;
    for (int i = 0; i < list.size(); ++i) {
      if (!Inner(list.Get(i), absl::StrCat(Path(f), "[", i, "]."))) {
        return false;
      }
    }
    return true;
  }
  template <typename Sub>
  bool Map(ContextFieldInfo f,
           const google::protobuf::Map<std::string, Sub>& map) {
    if (where_ != kEntries) return true;
    for (const auto& [name, value] : map) {
      if ((leaves_ & kStrings) &&
          !Keep(CheckString(name, absl::StrCat(Path(f), " (a name)"), max_))) {
        return false;
      }
      const std::string path = absl::StrCat(Path(f), "[", name, "]");
      if (!Inner(value, "", &path)) return false;
    }
    return true;
  }

 private:
  // "customer.tier", "history[2].kind"; every member of a map's value is
  // named as the entry, "attributes[vip]".
  std::string Path(ContextFieldInfo f) const {
    if (fixed_path_ != nullptr) return *fixed_path_;
    return absl::StrCat(prefix_, f.proto_name);
  }

  bool Keep(absl::Status status) {
    status_ = std::move(status);
    return status_.ok();
  }

  template <typename Sub>
  bool Inner(const Sub& message, std::string prefix,
             const std::string* fixed_path = nullptr) {
    NamedCheck inner(leaves_, kOwn, max_, std::move(prefix), fixed_path);
    if (VisitContextFields(message, inner)) return true;
    status_ = inner.status();
    return false;
  }

  const int leaves_;
  const Where where_;
  const int64_t max_;
  const std::string prefix_;
  const std::string* const fixed_path_;
  absl::Status status_;
};

// Runs the passes in order; the first failure names the field.
absl::Status RunChecks(
    const v1::Context& context, int64_t max_string_bytes,
    std::initializer_list<std::pair<int, NamedCheck::Where>> passes) {
  for (const auto& [leaves, where] : passes) {
    NamedCheck check(leaves, where, max_string_bytes);
    if (!VisitContextFields(context, check)) return check.status();
  }
  return absl::OkStatus();
}

// Sizes and numbers, checked before any timestamp is read: the counts, then
// the strings and the doubles of the context and its messages, the strings
// of each history event, each attribute's name and value.
absl::Status CheckLimits(const v1::Context& context,
                         const DecideOptions& options) {
  if (context.history_size() > options.max_history_events) {
    return absl::InvalidArgumentError(
        absl::StrCat("context.history: ", context.history_size(),
                     " events exceed max_history_events (",
                     options.max_history_events, ")"));
  }
  if (static_cast<int64_t>(context.attributes().size()) >
      options.max_attributes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.attributes: ", context.attributes().size(),
        " attributes exceed max_attributes (", options.max_attributes, ")"));
  }
  using C = NamedCheck;
  return RunChecks(context, options.max_string_bytes,
                   {{C::kStrings | C::kDoubles, C::kOwn},
                    {C::kStrings, C::kMessages},
                    {C::kDoubles, C::kMessages},
                    {C::kStrings | C::kDoubles, C::kElements},
                    {C::kStrings | C::kDoubles, C::kEntries}});
}

bool TimestampOk(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinTimestampSeconds &&
         t.seconds() <= kMaxTimestampSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

bool DurationOk(const google::protobuf::Duration& d) {
  bool sign_ok = d.seconds() == 0 || d.nanos() == 0 ||
                 (d.seconds() > 0) == (d.nanos() > 0);
  return d.seconds() >= -kMaxDurationSeconds &&
         d.seconds() <= kMaxDurationSeconds && d.nanos() >= -999999999 &&
         d.nanos() <= 999999999 && sign_ok;
}

// True when every field of the visited message and those below it pass
// (the fast path: no names, no statuses).
class AcceptableFields : public ContextFieldVisitor {
 public:
  explicit AcceptableFields(uint64_t max_string_bytes)
      : max_(max_string_bytes) {}

  bool String(ContextFieldInfo, const std::string& value) const {
    return value.size() <= max_;
  }
  bool Double(ContextFieldInfo, double value) const {
    return std::isfinite(value);
  }
  bool Timestamp(ContextFieldInfo, bool has,
                 const google::protobuf::Timestamp& t) const {
    return !has || TimestampOk(t);
  }
  bool Duration(ContextFieldInfo, bool has,
                const google::protobuf::Duration& d) const {
    return !has || DurationOk(d);
  }
  template <typename Sub>
  bool Message(ContextFieldInfo, bool, const Sub& message) {
    return VisitContextFields(message, *this);
  }
  template <typename Sub>
  bool Repeated(ContextFieldInfo,
                const google::protobuf::RepeatedPtrField<Sub>& list) {
    for (const Sub& element : list) {
      if (!VisitContextFields(element, *this)) return false;
    }
    return true;
  }
  // A Value's unset members read as "" and 0.0, which pass.
  template <typename Sub>
  bool Map(ContextFieldInfo,
           const google::protobuf::Map<std::string, Sub>& map) {
    for (const auto& [name, value] : map) {
      if (name.size() > max_ || !VisitContextFields(value, *this)) {
        return false;
      }
    }
    return true;
  }

 private:
  const uint64_t max_;
};

// One pass that says whether the context passes every check; only when it
// does not do the checks below run, in their order, to name the field.
bool Acceptable(const v1::Context& context, const DecideOptions& options) {
  if (context.history_size() > options.max_history_events ||
      static_cast<int64_t>(context.attributes().size()) >
          options.max_attributes ||
      !context.has_now()) {
    return false;
  }
  AcceptableFields fields(
      options.max_string_bytes < 0
          ? 0
          : static_cast<uint64_t>(options.max_string_bytes));
  return VisitContextFields(context, fields);
}

std::string TimeForMessage(const google::protobuf::Timestamp& t) {
  return absl::StrCat("(seconds=", t.seconds(), ", nanos=", t.nanos(), ")");
}

// Fail closed: the times every construct and history macro reads must be
// ones expressions handle (int64 nanoseconds, years 1678 to 2262), and every
// history event needs one. An event a construct cannot place in time would
// otherwise drop out of its count (a strike limit, a budget's window) and
// loosen the restriction it feeds, so the context is rejected instead.
absl::Status CheckExpressionTimes(const v1::Context& context) {
  int64_t nanos = 0;
  if (!TimestampToNanos(context.now(), &nanos)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.now: ", TimeForMessage(context.now()),
        " is outside the years 1678 to 2262 that expressions handle"));
  }
  for (int i = 0; i < context.history_size(); ++i) {
    const v1::Event& e = context.history(i);
    if (!e.has_at()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "context.history[", i,
          "].at: missing; every history event needs a time (an undated event "
          "could not be placed in a window, so a limit would not count it)"));
    }
    if (!TimestampToNanos(e.at(), &nanos)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "context.history[", i, "].at: ", TimeForMessage(e.at()),
          " is outside the years 1678 to 2262 that expressions handle"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckContext(const v1::Context& context,
                          const DecideOptions& options) {
  if (Acceptable(context, options)) return CheckExpressionTimes(context);
  absl::Status limits = CheckLimits(context, options);
  if (!limits.ok()) return limits;
  if (!context.has_now()) {
    return absl::InvalidArgumentError(
        "context.now is not set; tact never reads the clock, so every "
        "context must say when the decision is made");
  }
  // The timestamps and durations: the context's own (now), its messages',
  // each history event's, each attribute's.
  using C = NamedCheck;
  absl::Status times = RunChecks(context, options.max_string_bytes,
                                 {{C::kTimes, C::kOwn},
                                  {C::kTimes, C::kMessages},
                                  {C::kTimes, C::kElements},
                                  {C::kTimes, C::kEntries}});
  if (!times.ok()) return times;
  return CheckExpressionTimes(context);
}

}  // namespace tact::internal
