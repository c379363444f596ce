// Policy tests (tact/policy_test.h): load a suite, compile its policy, run
// each case (one decision, or a timeline of steps with the effects recorded
// between them) and compare every decision with its expectation.
#include "tact/policy_test.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "src/common/source_map.h"
#include "src/common/source_map_builder.h"
#include "src/io/policy_source.h"
#include "tact/codes.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::TextFormat;

constexpr absl::string_view kSuiteSuffix = ".test.textproto";

// --- Rendering ---------------------------------------------------------------

std::string List(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
}

std::string Quoted(absl::string_view text) {
  return absl::StrCat("\"", absl::Utf8SafeCEscape(text), "\"");
}

std::string ValueString(const v1::Value& v) {
  switch (v.kind_case()) {
    case v1::Value::kIntValue:
      return absl::StrCat(v.int_value());
    case v1::Value::kStringValue:
      return Quoted(v.string_value());
    case v1::Value::kDoubleValue:
      return absl::StrCat(v.double_value());
    case v1::Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    case v1::Value::kTimestampValue:
      return absl::StrCat("timestamp ", v.timestamp_value().seconds(), "s");
    case v1::Value::kDurationValue:
      return absl::StrCat("duration ", v.duration_value().seconds(), "s");
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return "(no value)";
}

std::string ExpectedValueString(const v1::ExpectParam& p) {
  switch (p.value_case()) {
    case v1::ExpectParam::kIntValue:
      return absl::StrCat(p.int_value());
    case v1::ExpectParam::kStringValue:
      return Quoted(p.string_value());
    case v1::ExpectParam::kDoubleValue:
      return absl::StrCat(p.double_value());
    case v1::ExpectParam::kBoolValue:
      return p.bool_value() ? "true" : "false";
    case v1::ExpectParam::VALUE_NOT_SET:
      break;
  }
  return "(no value)";
}

bool ValueMatches(const v1::ExpectParam& want, const v1::Value& got) {
  switch (want.value_case()) {
    case v1::ExpectParam::kIntValue:
      return got.kind_case() == v1::Value::kIntValue &&
             got.int_value() == want.int_value();
    case v1::ExpectParam::kStringValue:
      return got.kind_case() == v1::Value::kStringValue &&
             got.string_value() == want.string_value();
    case v1::ExpectParam::kDoubleValue:
      return got.kind_case() == v1::Value::kDoubleValue &&
             got.double_value() == want.double_value();
    case v1::ExpectParam::kBoolValue:
      return got.kind_case() == v1::Value::kBoolValue &&
             got.bool_value() == want.bool_value();
    case v1::ExpectParam::VALUE_NOT_SET:
      break;
  }
  return false;
}

std::string BlockedString(absl::string_view action, absl::string_view code) {
  if (code.empty()) return std::string(action);
  return absl::StrCat(action, " (", code, ")");
}

std::string EffectString(absl::string_view kind, absl::string_view ref,
                         int64_t amount, int64_t step) {
  std::string out = absl::StrCat(kind, "(", ref);
  if (amount != 0) absl::StrAppend(&out, ", amount=", amount);
  if (step != 0) absl::StrAppend(&out, ", step=", step);
  out.push_back(')');
  return out;
}

std::string ReasonString(const v1::Reason& r) {
  return absl::StrCat(r.source_kind(), " ", r.source_id(), ": ",
                      Quoted(r.text()));
}

// --- Comparison --------------------------------------------------------------

// Whether `want` appears in `got` as an ordered subsequence, each element
// matched by `match(want_i, got_j)`.
template <typename W, typename G, typename Match>
bool IsSubsequence(const W& want, const G& got, Match match) {
  int j = 0;
  for (const auto& w : want) {
    while (j < got.size() && !match(w, got.Get(j))) ++j;
    if (j == got.size()) return false;
    ++j;
  }
  return true;
}

template <typename Container, typename F>
std::vector<std::string> Map(const Container& items, F f) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(f(item));
  return out;
}

// "2026-03-30T09:00:00Z" (UTC), or with nanoseconds when it has any.
std::string TimeString(const google::protobuf::Timestamp& t) {
  const absl::Time time =
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

// "90m" style: absl's duration format ("1h30m", "-15m", "0").
std::string DurationString(const google::protobuf::Duration& d) {
  return absl::FormatDuration(absl::Seconds(d.seconds()) +
                              absl::Nanoseconds(d.nanos()));
}

bool SameTime(const google::protobuf::Timestamp& a,
              const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

bool SameDuration(const google::protobuf::Duration& a,
                  const google::protobuf::Duration& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

// "first_reply at_risk 75% (threshold 75), due 2026-03-30T10:00:00Z": one
// target as a failure line shows it.
std::string ServiceLevelString(const v1::ServiceLevelStatus& s) {
  std::string out = absl::StrCat(s.target(), " ", s.state(), " ", s.percent(),
                                 "% (threshold ", s.threshold(), ")");
  if (s.paused()) absl::StrAppend(&out, ", paused");
  if (s.has_due_at()) {
    absl::StrAppend(&out, ", due ", TimeString(s.due_at()));
  } else {
    absl::StrAppend(&out, ", no due time");
  }
  return out;
}

const v1::RecommendedAction* FindAction(const v1::Decision& d,
                                        absl::string_view id) {
  for (const auto& a : d.actions()) {
    if (a.action() == id) return &a;
  }
  for (const auto& a : d.needs_approval()) {
    if (a.action() == id) return &a;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> CheckExpectation(const v1::Expect& expect,
                                          const v1::Decision& d,
                                          bool suite_exact) {
  const bool exact = expect.has_exact() ? expect.exact() : suite_exact;
  std::vector<std::string> failures;
  auto fail = [&](std::string line) { failures.push_back(std::move(line)); };

  const std::vector<std::string> actions = Map(
      d.actions(), [](const v1::RecommendedAction& a) { return a.action(); });
  const std::vector<std::string> approvals =
      Map(d.needs_approval(), [](const v1::RecommendedAction& a) {
        return BlockedString(a.action(), a.required_authority());
      });
  const std::vector<std::string> blocked =
      Map(d.blocked(), [](const v1::BlockedAction& b) {
        return BlockedString(b.action(), b.code());
      });
  const std::vector<std::string> effects =
      Map(d.effects(), [](const v1::Effect& e) {
        return EffectString(e.kind(), e.ref(), e.amount(), e.step());
      });
  const std::vector<std::string> flags =
      Map(d.flags(), [](const v1::Flag& f) { return f.code(); });
  std::vector<std::string> beyond;
  for (const auto& a : d.actions()) {
    if (a.beyond_contract()) beyond.push_back(a.action());
  }
  for (const auto& a : d.needs_approval()) {
    if (a.beyond_contract()) beyond.push_back(a.action());
  }

  // Recommended actions.
  if (exact || !expect.actions().empty()) {
    const std::vector<std::string> want(expect.actions().begin(),
                                        expect.actions().end());
    if (want != actions) {
      fail(absl::StrCat("actions: expected ", List(want), ", got ",
                        List(actions)));
    }
  }
  if (expect.no_actions() && !actions.empty()) {
    fail(absl::StrCat("no_actions: expected none, got ", List(actions)));
  }
  if (!IsSubsequence(expect.includes(), d.actions(),
                     [](const std::string& w, const v1::RecommendedAction& a) {
                       return a.action() == w;
                     })) {
    fail(
        absl::StrCat("includes: expected ",
                     List({expect.includes().begin(), expect.includes().end()}),
                     " in this order, got ", List(actions)));
  }
  for (const std::string& id : expect.excludes()) {
    if (std::find(actions.begin(), actions.end(), id) != actions.end()) {
      fail(absl::StrCat("excludes: ", id, " is recommended; got ",
                        List(actions)));
    }
    for (const auto& a : d.needs_approval()) {
      if (a.action() == id) {
        fail(absl::StrCat("excludes: ", id, " needs approval (",
                          a.required_authority(), ")"));
      }
    }
  }

  // Parameters, only those listed.
  for (const v1::ExpectParam& want : expect.params()) {
    const std::string label =
        absl::StrCat("param ", want.action(), ".", want.name());
    const v1::RecommendedAction* a = FindAction(d, want.action());
    if (a == nullptr) {
      fail(absl::StrCat(label, ": ", want.action(),
                        " is neither recommended nor sent for approval; got ",
                        List(actions)));
      continue;
    }
    const v1::Param* param = nullptr;
    for (const v1::Param& p : a->params()) {
      if (p.name() == want.name()) param = &p;
    }
    if (param == nullptr) {
      fail(absl::StrCat(
          label, ": ", want.action(), " has no parameter ", want.name(),
          "; it has ",
          List(Map(a->params(), [](const v1::Param& p) { return p.name(); }))));
      continue;
    }
    if (!ValueMatches(want, param->value())) {
      fail(absl::StrCat(label, ": expected ", ExpectedValueString(want),
                        ", got ", ValueString(param->value())));
    }
  }

  // Blocked actions.
  if (exact) {
    bool same = expect.blocked_size() == d.blocked_size();
    for (int i = 0; same && i < d.blocked_size(); ++i) {
      const v1::ExpectBlocked& w = expect.blocked(i);
      same = w.action() == d.blocked(i).action() &&
             (w.code().empty() || w.code() == d.blocked(i).code());
    }
    if (!same) {
      fail(absl::StrCat("blocked: expected ",
                        List(Map(expect.blocked(),
                                 [](const v1::ExpectBlocked& b) {
                                   return BlockedString(b.action(), b.code());
                                 })),
                        ", got ", List(blocked)));
    }
  } else {
    for (const v1::ExpectBlocked& w : expect.blocked()) {
      const bool found =
          std::any_of(d.blocked().begin(), d.blocked().end(),
                      [&](const v1::BlockedAction& b) {
                        return b.action() == w.action() &&
                               (w.code().empty() || w.code() == b.code());
                      });
      if (!found) {
        fail(absl::StrCat("missing blocked ",
                          BlockedString(w.action(), w.code()),
                          "; got blocked: ", List(blocked)));
      }
    }
  }

  // Needs approval.
  if (exact) {
    bool same = expect.needs_approval_size() == d.needs_approval_size();
    for (int i = 0; same && i < d.needs_approval_size(); ++i) {
      const v1::ExpectApproval& w = expect.needs_approval(i);
      same = w.action() == d.needs_approval(i).action() &&
             (w.authority().empty() ||
              w.authority() == d.needs_approval(i).required_authority());
    }
    if (!same) {
      fail(absl::StrCat("needs_approval: expected ",
                        List(Map(expect.needs_approval(),
                                 [](const v1::ExpectApproval& a) {
                                   return BlockedString(a.action(),
                                                        a.authority());
                                 })),
                        ", got ", List(approvals)));
    }
  } else {
    for (const v1::ExpectApproval& w : expect.needs_approval()) {
      const bool found =
          std::any_of(d.needs_approval().begin(), d.needs_approval().end(),
                      [&](const v1::RecommendedAction& a) {
                        return a.action() == w.action() &&
                               (w.authority().empty() ||
                                w.authority() == a.required_authority());
                      });
      if (!found) {
        fail(absl::StrCat("missing needs_approval ",
                          BlockedString(w.action(), w.authority()),
                          "; got needs_approval: ", List(approvals)));
      }
    }
  }

  // Effects: all four fields compared.
  auto effect_matches = [](const v1::ExpectEffect& w, const v1::Effect& e) {
    return w.kind() == e.kind() && w.ref() == e.ref() &&
           w.amount() == e.amount() && w.step() == e.step();
  };
  const std::vector<std::string> want_effects =
      Map(expect.effects(), [](const v1::ExpectEffect& e) {
        return EffectString(e.kind(), e.ref(), e.amount(), e.step());
      });
  if (exact) {
    if (want_effects != effects) {
      fail(absl::StrCat("effects: expected ", List(want_effects), ", got ",
                        List(effects)));
    }
  } else if (!IsSubsequence(expect.effects(), d.effects(), effect_matches)) {
    fail(absl::StrCat("effects: expected ", List(want_effects),
                      " in this order, got ", List(effects)));
  }

  // Flags.
  const std::vector<std::string> want_flags(expect.flags().begin(),
                                            expect.flags().end());
  if (exact) {
    if (want_flags != flags) {
      fail(absl::StrCat("flags: expected ", List(want_flags), ", got ",
                        List(flags)));
    }
  } else if (!IsSubsequence(expect.flags(), d.flags(),
                            [](const std::string& w, const v1::Flag& f) {
                              return f.code() == w;
                            })) {
    fail(absl::StrCat("flags: expected ", List(want_flags),
                      " in this order, got ", List(flags)));
  }

  // Beyond the contract.
  const std::vector<std::string> want_beyond(expect.beyond_contract().begin(),
                                             expect.beyond_contract().end());
  if (exact) {
    if (want_beyond != beyond) {
      fail(absl::StrCat("beyond_contract: expected ", List(want_beyond),
                        ", got ", List(beyond)));
    }
  } else {
    for (const std::string& id : want_beyond) {
      if (std::find(beyond.begin(), beyond.end(), id) == beyond.end()) {
        fail(absl::StrCat(
            "beyond_contract: ", id,
            " is not tagged beyond_contract; tagged: ", List(beyond)));
      }
    }
  }

  // Reasons, only those listed.
  for (const v1::ExpectReason& want : expect.reasons()) {
    const v1::RecommendedAction* a = FindAction(d, want.action());
    if (a == nullptr) {
      fail(absl::StrCat("reason: ", want.action(),
                        " is neither recommended nor sent for approval; got ",
                        List(actions)));
      continue;
    }
    const bool found = std::any_of(
        a->reasons().begin(), a->reasons().end(), [&](const v1::Reason& r) {
          return (want.source_kind().empty() ||
                  r.source_kind() == want.source_kind()) &&
                 (want.source_id().empty() ||
                  r.source_id() == want.source_id()) &&
                 absl::StrContains(r.text(), want.text_contains());
        });
    if (!found) {
      std::string what = want.source_kind().empty() ? std::string("any source")
                                                    : want.source_kind();
      if (!want.source_id().empty())
        absl::StrAppend(&what, " ", want.source_id());
      if (!want.text_contains().empty()) {
        absl::StrAppend(&what, " containing ", Quoted(want.text_contains()));
      }
      fail(absl::StrCat(
          "reason: ", want.action(), " has no reason from ", what,
          "; its reasons: ", List(Map(a->reasons(), ReasonString))));
    }
  }
  // Service levels, only the targets listed.
  for (const v1::ExpectServiceLevel& want : expect.service_levels()) {
    const auto got =
        std::find_if(d.service_levels().begin(), d.service_levels().end(),
                     [&](const v1::ServiceLevelStatus& s) {
                       return s.target() == want.target();
                     });
    if (got == d.service_levels().end()) {
      fail(absl::StrCat(
          "service level ", want.target(),
          ": no such target in the decision; it has ",
          List(Map(d.service_levels(), [](const v1::ServiceLevelStatus& s) {
            return s.target();
          }))));
      continue;
    }
    std::vector<std::string> differ;
    if (!want.state().empty() && want.state() != got->state()) {
      differ.push_back(absl::StrCat("state ", want.state()));
    }
    if (want.has_percent() && want.percent() != got->percent()) {
      differ.push_back(absl::StrCat("percent ", want.percent()));
    }
    if (want.has_threshold() && want.threshold() != got->threshold()) {
      differ.push_back(absl::StrCat("threshold ", want.threshold()));
    }
    if (want.has_paused() && want.paused() != got->paused()) {
      differ.push_back(want.paused() ? "paused" : "not paused");
    }
    if (want.has_due_at() &&
        (!got->has_due_at() || !SameTime(want.due_at(), got->due_at()))) {
      differ.push_back(absl::StrCat("due ", TimeString(want.due_at())));
    }
    if (want.no_due() && got->has_due_at()) {
      differ.push_back("no due time");
    }
    if (want.has_elapsed() && !SameDuration(want.elapsed(), got->elapsed())) {
      differ.push_back(absl::StrCat("elapsed ", DurationString(want.elapsed()),
                                    " (got ", DurationString(got->elapsed()),
                                    ")"));
    }
    if (want.has_remaining() &&
        !SameDuration(want.remaining(), got->remaining())) {
      differ.push_back(absl::StrCat("remaining ",
                                    DurationString(want.remaining()), " (got ",
                                    DurationString(got->remaining()), ")"));
    }
    if (!differ.empty()) {
      fail(absl::StrCat("service level ", want.target(), ": expected ",
                        absl::StrJoin(differ, ", "), "; got ",
                        ServiceLevelString(*got)));
    }
  }
  return failures;
}

namespace {

// --- Loading -----------------------------------------------------------------

// Positions in one text file, from protobuf's tokenizer positions (0-based,
// tab-expanded) to "file:line:col" with 1-based byte columns.
class Locator {
 public:
  Locator(std::string file, absl::string_view text)
      : file_(std::move(file)), source_(text, internal::SourceSyntax::kText) {}

  // `name`, when not empty, is a field name protobuf reported at the token
  // after it: the location is moved back onto the name, which is what the
  // reader has to fix.
  std::string At(int line, int column, absl::string_view name = "") const {
    size_t offset = source_.OffsetOfTokenizerPosition(line, column);
    if (offset == internal::kNoOffset) return file_;
    if (!name.empty()) {
      const absl::string_view text = source_.text();
      size_t end = offset;
      while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
                         text[end - 1] == ':')) {
        --end;
      }
      if (end >= name.size() &&
          text.substr(end - name.size(), name.size()) == name) {
        offset = end - name.size();
      }
    }
    const internal::FileLocation location = source_.LocationOf(offset);
    return absl::StrCat(file_, ":", location.line, ":", location.column);
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  internal::SourceMapBuilder source_;
};

// The name in protobuf's 'Message type "X" has no field named "name".',
// else empty.
absl::string_view UnknownFieldName(absl::string_view message) {
  static constexpr absl::string_view kNamed = "has no field named \"";
  const size_t start = message.find(kNamed);
  if (start == absl::string_view::npos) return "";
  const size_t name_start = start + kNamed.size();
  const size_t name_end = message.find('"', name_start);
  if (name_end == absl::string_view::npos) return "";
  return message.substr(name_start, name_end - name_start);
}

class ErrorLines : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorLines(const Locator& locator) : locator_(locator) {}
  void AddError(int line, int column, const std::string& message) override {
    lines_.push_back(absl::StrCat(
        locator_.At(line, column, UnknownFieldName(message)), ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }
  std::vector<std::string>& lines() { return lines_; }

 private:
  const Locator& locator_;
  std::vector<std::string> lines_;
};

absl::Status Error(absl::StatusCode code, std::vector<std::string> lines) {
  return absl::Status(code, absl::StrJoin(lines, "\n"));
}

// Parses `text` (from `file`) as a text-format `message`; records field
// positions in `tree` when not null.
absl::Status ParseText(const std::string& file, absl::string_view text,
                       google::protobuf::Message* message,
                       TextFormat::ParseInfoTree* tree,
                       const Locator& locator) {
  ErrorLines errors(locator);
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  // ParseFromString takes a ConstStringParam; copy once.
  if (!parser.ParseFromString(std::string(text), message)) {
    if (errors.lines().empty()) {
      errors.lines().push_back(
          absl::StrCat(file, ": not a valid ", message->GetTypeName()));
    }
    return Error(absl::StatusCode::kInvalidArgument, errors.lines());
  }
  return absl::OkStatus();
}

bool ValidName(absl::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

const FieldDescriptor* Field(const google::protobuf::Descriptor* d,
                             absl::string_view name) {
  return d->FindFieldByName(std::string(name));
}

// The suite's policy path, from the suite file's path.
absl::StatusOr<std::string> PolicyPathOf(const fs::path& suite_path,
                                         const v1::PolicyTestSuite& suite) {
  const fs::path dir = suite_path.parent_path();
  if (!suite.policy().empty()) {
    const fs::path policy(suite.policy());
    if (policy.is_absolute()) return policy.string();
    return (dir / policy).lexically_normal().string();
  }
  const std::string name = suite_path.filename().string();
  const size_t at = name.rfind(".test.");
  if (at == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        suite_path.string(),
        ": cannot tell the policy from the file name (it has no \".test.\"); "
        "set `policy`"));
  }
  const std::string policy =
      name.substr(0, at) + name.substr(at + std::string(".test").size());
  return (dir / policy).lexically_normal().string();
}

struct LoadedCase {
  // The case's start context: its own, or the one parsed copy of its
  // context_file shared by every case naming that file (copied only when the
  // case runs, so a large context costs its size once, not once per case).
  std::shared_ptr<const v1::Context> start;
  // "FILE:LINE:COL" of the case's `expect`, and of each step.
  std::string expect_where;
  std::vector<std::string> step_where;
};

struct LoadedSuite {
  std::vector<LoadedCase> cases;
};

// Where a case (index `i`) and its fields sit.
struct CaseLocations {
  std::string self;
  std::string context_file;
  std::string expect;
};

CaseLocations LocateCase(const Locator& locator,
                         const TextFormat::ParseInfoTree& tree, int i) {
  const auto* suite_d = v1::PolicyTestSuite::descriptor();
  const auto* case_d = v1::PolicyTestCase::descriptor();
  const FieldDescriptor* cases_f = Field(suite_d, "cases");
  CaseLocations out;
  auto at = [&](const google::protobuf::TextFormat::ParseLocation& l) {
    return l.line < 0 ? locator.file() : locator.At(l.line, l.column);
  };
  out.self = at(tree.GetLocation(cases_f, i));
  const TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(cases_f, i);
  if (nested == nullptr) {
    out.context_file = out.expect = out.self;
    return out;
  }
  auto field_at = [&](absl::string_view name, int index) {
    const auto l = nested->GetLocation(Field(case_d, name), index);
    return l.line < 0 ? out.self : locator.At(l.line, l.column);
  };
  out.context_file = field_at("context_file", -1);
  out.expect = field_at("expect", -1);
  return out;
}

std::string StepLocation(const Locator& locator,
                         const TextFormat::ParseInfoTree& tree, int i, int s,
                         const std::string& fallback) {
  const TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(
      Field(v1::PolicyTestSuite::descriptor(), "cases"), i);
  if (nested == nullptr) return fallback;
  const auto l =
      nested->GetLocation(Field(v1::PolicyTestCase::descriptor(), "steps"), s);
  return l.line < 0 ? fallback : locator.At(l.line, l.column);
}

// Errors in one expectation that no decision could satisfy: a blocked code
// that is not a BlockedCode, a parameter without a value or an action.
void CheckExpectShape(const v1::Expect& expect, absl::string_view where,
                      std::vector<std::string>& errors) {
  for (const v1::ExpectBlocked& b : expect.blocked()) {
    BlockedCode code;
    if (!b.code().empty() && !ParseBlockedCode(b.code(), &code)) {
      std::vector<std::string> known;
      for (BlockedCode c : kBlockedCodes) known.push_back(std::string(Name(c)));
      errors.push_back(absl::StrCat(where, "blocked ", b.action(),
                                    ": unknown code ", Quoted(b.code()),
                                    "; one of ", List(known)));
    }
    if (b.action().empty()) {
      errors.push_back(absl::StrCat(where, "blocked: no action"));
    }
  }
  for (const v1::ExpectParam& p : expect.params()) {
    if (p.action().empty() || p.name().empty()) {
      errors.push_back(
          absl::StrCat(where, "params: give both action and name"));
    } else if (p.value_case() == v1::ExpectParam::VALUE_NOT_SET) {
      errors.push_back(
          absl::StrCat(where, "param ", p.action(), ".", p.name(),
                       ": no expected value (int_value, "
                       "string_value, bool_value or double_value)"));
    }
  }
  for (const v1::ExpectApproval& a : expect.needs_approval()) {
    if (a.action().empty()) {
      errors.push_back(absl::StrCat(where, "needs_approval: no action"));
    }
  }
  for (const v1::ExpectReason& r : expect.reasons()) {
    if (r.action().empty()) {
      errors.push_back(absl::StrCat(where, "reasons: no action"));
    }
  }
  if (expect.no_actions() && expect.actions_size() > 0) {
    errors.push_back(
        absl::StrCat(where, "no_actions contradicts the listed actions"));
  }
  std::set<std::string> targets;
  for (const v1::ExpectServiceLevel& l : expect.service_levels()) {
    if (l.target().empty()) {
      errors.push_back(absl::StrCat(where, "service_levels: no target"));
      continue;
    }
    if (!targets.insert(l.target()).second) {
      errors.push_back(
          absl::StrCat(where, "service level ", l.target(), ": listed twice"));
    }
    SlaState state;
    if (!l.state().empty() && !ParseSlaState(l.state(), &state)) {
      std::vector<std::string> known;
      for (SlaState s : kSlaStates) known.push_back(std::string(Name(s)));
      errors.push_back(absl::StrCat(where, "service level ", l.target(),
                                    ": unknown state ", Quoted(l.state()),
                                    "; one of ", List(known)));
    }
    if (l.no_due() && l.has_due_at()) {
      errors.push_back(absl::StrCat(where, "service level ", l.target(),
                                    ": no_due contradicts due_at"));
    }
  }
}

// Every action id an expectation names, with the field naming it.
void ExpectedActionIds(const v1::Expect& e,
                       std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& id : e.actions()) out.emplace_back("actions", id);
  for (const auto& id : e.includes()) out.emplace_back("includes", id);
  for (const auto& id : e.excludes()) out.emplace_back("excludes", id);
  for (const auto& p : e.params()) out.emplace_back("params", p.action());
  for (const auto& b : e.blocked()) out.emplace_back("blocked", b.action());
  for (const auto& a : e.needs_approval()) {
    out.emplace_back("needs_approval", a.action());
  }
  for (const auto& id : e.beyond_contract()) {
    out.emplace_back("beyond_contract", id);
  }
  for (const auto& r : e.reasons()) out.emplace_back("reasons", r.action());
}

absl::StatusOr<v1::Context> LoadContextFile(const std::string& path,
                                            const PolicyTestOptions& options) {
  absl::StatusOr<std::string> text =
      internal::ReadFileUpTo(path, options.max_file_bytes, "context file");
  if (!text.ok()) return text.status();
  if (absl::EndsWith(path, ".json")) {
    absl::StatusOr<v1::Context> context = ContextFromJson(*text);
    if (!context.ok()) {
      return absl::Status(context.status().code(),
                          absl::StrCat(path, ": ", context.status().message()));
    }
    return context;
  }
  v1::Context context;
  Locator locator(path, *text);
  absl::Status parsed = ParseText(path, *text, &context, nullptr, locator);
  if (!parsed.ok()) return parsed;
  return context;
}

// Reads, parses and checks the suite; loads every case's start context.
absl::Status LoadSuite(const std::string& path,
                       const PolicyTestOptions& options,
                       PolicyTestSuiteResult& result, LoadedSuite& loaded) {
  absl::StatusOr<std::string> text =
      internal::ReadFileUpTo(path, options.max_file_bytes, "test file");
  if (!text.ok()) {
    std::error_code error;
    const bool dangling = fs::is_symlink(fs::symlink_status(path, error)) &&
                          !fs::exists(fs::status(path, error));
    return absl::Status(
        text.status().code(),
        absl::StrCat(path, ": ", text.status().message(),
                     dangling
                         ? absl::StrCat(" (a symbolic link to ",
                                        fs::read_symlink(path, error).string(),
                                        ", which does not exist)")
                         : ""));
  }
  Locator locator(path, *text);
  TextFormat::ParseInfoTree tree;
  absl::Status parsed = ParseText(path, *text, &result.suite, &tree, locator);
  if (!parsed.ok()) return parsed;
  const v1::PolicyTestSuite& suite = result.suite;

  if (suite.cases_size() > options.max_cases) {
    return absl::ResourceExhaustedError(
        absl::StrCat(path, ": ", suite.cases_size(), " cases; the limit is ",
                     options.max_cases, " (PolicyTestOptions::max_cases)"));
  }
  if (suite.cases().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the suite has no cases"));
  }
  int64_t decisions = 0;
  for (const v1::PolicyTestCase& c : suite.cases()) {
    decisions += c.steps().empty() ? 1 : c.steps_size();
  }
  if (decisions > options.max_decisions) {
    return absl::ResourceExhaustedError(absl::StrCat(
        path, ": ", decisions, " decisions; the limit is ",
        options.max_decisions, " (PolicyTestOptions::max_decisions)"));
  }

  absl::StatusOr<std::string> policy = PolicyPathOf(fs::path(path), suite);
  if (!policy.ok()) return policy.status();
  result.policy_file = *policy;

  std::vector<std::string> errors;
  std::map<std::string, std::string> names;  // name -> where first seen
  std::map<std::string, absl::StatusOr<std::shared_ptr<const v1::Context>>>
      context_files;
  const fs::path dir = fs::path(path).parent_path();
  for (int i = 0; i < suite.cases_size(); ++i) {
    const v1::PolicyTestCase& c = suite.cases(i);
    const CaseLocations where = LocateCase(locator, tree, i);
    const std::string label = c.name().empty()
                                  ? absl::StrCat("case ", i + 1)
                                  : absl::StrCat("case ", Quoted(c.name()));
    auto error = [&](const std::string& at, absl::string_view message) {
      errors.push_back(absl::StrCat(at, ": ", label, ": ", message));
    };
    if (c.name().empty()) {
      error(where.self, "no name");
    } else if (!ValidName(c.name())) {
      error(where.self,
            "the name may hold only letters, digits, '_', '-' and '.'");
    } else {
      auto [it, inserted] = names.emplace(c.name(), where.self);
      if (!inserted)
        error(where.self,
              absl::StrCat("duplicate name (first at ", it->second, ")"));
    }
    if (c.steps_size() > options.max_steps) {
      errors.push_back(absl::StrCat(where.self, ": ", label, ": ",
                                    c.steps_size(), " steps; the limit is ",
                                    options.max_steps,
                                    " (PolicyTestOptions::max_steps)"));
      return Error(absl::StatusCode::kResourceExhausted, errors);
    }
    if (c.has_expect() && !c.steps().empty()) {
      error(where.expect,
            "`expect` and `steps` together; a timeline states its "
            "expectations in its steps");
    }
    if (!c.has_expect() && c.steps().empty()) {
      error(where.self, "expects nothing; give it `expect` or `steps`");
    }
    LoadedCase& out = loaded.cases.emplace_back();
    out.expect_where = where.expect;
    if (c.has_expect()) {
      CheckExpectShape(c.expect(),
                       absl::StrCat(where.expect, ": ", label, ": "), errors);
    }
    for (int s = 0; s < c.steps_size(); ++s) {
      out.step_where.push_back(StepLocation(locator, tree, i, s, where.self));
      if (c.steps(s).has_expect()) {
        CheckExpectShape(c.steps(s).expect(),
                         absl::StrCat(out.step_where.back(), ": ", label,
                                      " step ", s + 1, ": "),
                         errors);
      }
    }

    switch (c.start_case()) {
      case v1::PolicyTestCase::kContext:
        // Points into result.suite, which outlives the run.
        out.start = std::shared_ptr<const v1::Context>(
            std::shared_ptr<const v1::Context>(), &c.context());
        break;
      case v1::PolicyTestCase::kContextFile: {
        if (c.context_file().empty()) {
          error(where.context_file, "empty context_file");
          break;
        }
        fs::path file(c.context_file());
        if (!file.is_absolute()) file = (dir / file).lexically_normal();
        auto it = context_files.find(file.string());
        if (it == context_files.end()) {
          absl::StatusOr<v1::Context> context_proto =
              LoadContextFile(file.string(), options);
          absl::StatusOr<std::shared_ptr<const v1::Context>> shared =
              context_proto.ok()
                  ? absl::StatusOr<std::shared_ptr<const v1::Context>>(
                        std::make_shared<const v1::Context>(
                            *std::move(context_proto)))
                  : context_proto.status();
          it = context_files.emplace(file.string(), std::move(shared)).first;
        }
        if (!it->second.ok()) {
          error(where.context_file,
                absl::StrCat("context_file ", Quoted(c.context_file()), ": ",
                             it->second.status().message()));
        } else {
          out.start = *it->second;
        }
        break;
      }
      case v1::PolicyTestCase::START_NOT_SET:
        error(where.self, "no context: give `context` or `context_file`");
        break;
    }
  }
  if (!errors.empty()) return Error(absl::StatusCode::kInvalidArgument, errors);
  return absl::OkStatus();
}

// Expected action ids the policy does not define: typos that would
// otherwise pass silently (an `excludes` of a misspelt id always holds).
absl::Status CheckActionIds(const v1::PolicyTestSuite& suite,
                            const LoadedSuite& loaded,
                            const v1::Policy& policy) {
  std::set<std::string> known;
  for (const v1::Action& a : policy.actions()) known.insert(a.id());
  std::set<std::string> targets;
  for (const v1::ServiceLevelTarget& t : policy.service_levels().targets()) {
    targets.insert(t.id());
  }
  std::vector<std::string> errors;
  auto check = [&](const v1::Expect& e, const std::string& where) {
    for (const v1::ExpectServiceLevel& l : e.service_levels()) {
      if (!l.target().empty() && targets.count(l.target()) == 0) {
        errors.push_back(
            absl::StrCat(where, ": service_levels: ", Quoted(l.target()),
                         " is not a target of the policy's service_levels"));
      }
    }
    std::vector<std::pair<std::string, std::string>> ids;
    ExpectedActionIds(e, ids);
    for (const auto& [field, id] : ids) {
      if (!id.empty() && known.count(id) == 0) {
        errors.push_back(absl::StrCat(where, ": ", field, ": ", Quoted(id),
                                      " is not an action of the policy"));
      }
    }
  };
  for (int i = 0; i < suite.cases_size(); ++i) {
    const v1::PolicyTestCase& c = suite.cases(i);
    const LoadedCase& where = loaded.cases[i];
    const std::string label = absl::StrCat("case ", Quoted(c.name()));
    if (c.has_expect()) {
      check(c.expect(), absl::StrCat(where.expect_where, ": ", label));
    }
    for (int s = 0; s < c.steps_size(); ++s) {
      check(c.steps(s).expect(),
            absl::StrCat(where.step_where[s], ": ", label, " step ", s + 1));
    }
  }
  if (!errors.empty()) return Error(absl::StatusCode::kInvalidArgument, errors);
  return absl::OkStatus();
}

// --- Running -----------------------------------------------------------------

// What a host does after a decision: appends each effect, exactly as it
// says, to the history it sends next time.
void Record(const v1::Decision& d, v1::Context& context) {
  for (const v1::Effect& e : d.effects()) {
    v1::Event* event = context.add_history();
    event->set_kind(e.kind());
    event->set_ref(e.ref());
    event->set_step(e.step());
    event->set_amount(e.amount());
    event->set_case_id(e.case_id());
    *event->mutable_at() = e.at();
  }
}

// Applies `step`'s changes to `context`, in the schema's order: the case,
// the merged context, the events, then `now`. Returns InvalidArgument when
// the advanced time overflows.
absl::Status Advance(const v1::TestStep& step, v1::Context& context) {
  const google::protobuf::Timestamp previous = context.now();
  if (step.has_case_()) *context.mutable_case_() = step.case_();
  if (step.has_merge()) context.MergeFrom(step.merge());
  for (const v1::Event& e : step.events()) *context.add_history() = e;
  if (step.has_at()) {
    *context.mutable_now() = step.at();
  } else if (step.has_advance()) {
    // Protobuf range-checks neither field (nanos may be any int32): the
    // nanos are summed in int64, normalized to 0 <= nanos < 1e9 with their
    // carry, and every add into the seconds is checked. Decide then rejects
    // times outside years 1..9999.
    constexpr int64_t kNanos = 1000000000;
    int64_t nanos = int64_t{previous.nanos()} + int64_t{step.advance().nanos()};
    int64_t carry = nanos / kNanos;
    nanos %= kNanos;
    if (nanos < 0) {
      nanos += kNanos;
      --carry;
    }
    int64_t seconds = 0;
    if (__builtin_add_overflow(previous.seconds(), step.advance().seconds(),
                               &seconds) ||
        __builtin_add_overflow(seconds, carry, &seconds)) {
      return absl::InvalidArgumentError("advance overflows `now`");
    }
    context.mutable_now()->set_seconds(seconds);
    context.mutable_now()->set_nanos(static_cast<int32_t>(nanos));
  } else {
    *context.mutable_now() = previous;
  }
  return absl::OkStatus();
}

// "step 3 (Two hours later): ", the description cut at a word to about 60
// bytes so a failure line stays readable.
std::string StepPrefix(int index, const v1::TestStep& step) {
  constexpr size_t kMaxDescription = 60;
  absl::string_view description = step.description();
  if (description.empty()) return absl::StrCat("step ", index + 1, ": ");
  std::string shown(description);
  if (description.size() > kMaxDescription) {
    size_t cut = description.rfind(' ', kMaxDescription - 3);
    if (cut == absl::string_view::npos || cut == 0) {
      // One long word: cut there, never inside a UTF-8 character.
      cut = kMaxDescription - 3;
      while (cut > 0 && (description[cut] & 0xC0) == 0x80) --cut;
    }
    shown = absl::StrCat(description.substr(0, cut), "...");
  }
  return absl::StrCat("step ", index + 1, " (", shown, "): ");
}

PolicyTestCaseResult RunCase(const Engine& engine,
                             const v1::PolicyTestSuite& suite,
                             const v1::PolicyTestCase& c, v1::Context context,
                             const PolicyTestOptions& options) {
  PolicyTestCaseResult result;
  result.name = c.name();
  result.description = c.description();
  DecideOptions decide;
  decide.trace = options.keep_decisions;
  decide.authority = !options.authority.empty() ? options.authority
                     : c.has_authority()        ? c.authority()
                                                : suite.authority();
  // The latest decision, whose effects the next step records, when
  // `result.decisions` does not keep it.
  v1::Decision last;

  auto decide_and_check = [&](const v1::Expect* expect,
                              absl::string_view prefix) -> bool {
    absl::StatusOr<v1::Decision> d = engine.Decide(context, decide);
    if (!d.ok()) {
      result.failures.push_back(
          absl::StrCat(prefix, "decide failed: ", d.status().message()));
      return false;
    }
    if (expect != nullptr) {
      for (std::string& line : CheckExpectation(*expect, *d, suite.exact())) {
        result.failures.push_back(absl::StrCat(prefix, line));
      }
    }
    if (options.keep_decisions) {
      result.decisions.push_back(*std::move(d));
    } else {
      last = *std::move(d);
    }
    return true;
  };

  if (c.steps().empty()) {
    decide_and_check(&c.expect(), "");
  } else {
    for (int i = 0; i < c.steps_size(); ++i) {
      const v1::TestStep& step = c.steps(i);
      const std::string prefix = StepPrefix(i, step);
      if (i > 0) {
        Record(options.keep_decisions ? result.decisions.back() : last,
               context);
      }
      absl::Status advanced = Advance(step, context);
      if (!advanced.ok()) {
        result.failures.push_back(absl::StrCat(prefix, advanced.message()));
        break;
      }
      if (!decide_and_check(step.has_expect() ? &step.expect() : nullptr,
                            prefix)) {
        break;
      }
    }
  }
  result.passed = result.failures.empty();
  return result;
}

}  // namespace

bool PolicyTestSuiteResult::passed() const {
  return status.ok() && failed_count() == 0;
}

int PolicyTestSuiteResult::passed_count() const {
  return static_cast<int>(
      std::count_if(cases.begin(), cases.end(),
                    [](const PolicyTestCaseResult& c) { return c.passed; }));
}

int PolicyTestSuiteResult::failed_count() const {
  return static_cast<int>(cases.size()) - passed_count();
}

PolicyTestSuiteResult RunPolicyTestFile(absl::string_view path,
                                        const PolicyTestOptions& options) {
  PolicyTestSuiteResult result;
  result.file = std::string(path);
  LoadedSuite loaded;
  result.status = LoadSuite(result.file, options, result, loaded);
  if (!result.status.ok()) return result;

  CompileResult compiled = Engine::Compile(result.policy_file);
  if (HasErrors(compiled.diagnostics) || compiled.engine == nullptr) {
    std::vector<std::string> lines = {absl::StrCat(
        result.file, ": the policy ", result.policy_file, " does not compile")};
    for (const Diagnostic& d : compiled.diagnostics) {
      if (d.severity == Diagnostic::Severity::kError) {
        lines.push_back(d.ToString());
      }
    }
    result.status = Error(absl::StatusCode::kInvalidArgument, lines);
    return result;
  }
  result.status =
      CheckActionIds(result.suite, loaded, compiled.engine->policy());
  if (!result.status.ok()) return result;
  result.engine = std::move(compiled.engine);

  for (int i = 0; i < result.suite.cases_size(); ++i) {
    result.cases.push_back(RunCase(*result.engine, result.suite,
                                   result.suite.cases(i),
                                   *loaded.cases[i].start, options));
    loaded.cases[i].start.reset();
  }
  return result;
}

absl::StatusOr<std::vector<std::string>> FindPolicyTestFiles(
    absl::string_view path) {
  const std::string root(path);
  std::error_code error;
  const fs::file_status status = fs::status(root, error);
  if (error || !fs::exists(status)) {
    return absl::NotFoundError(
        absl::StrCat(root, ": no such file or directory"));
  }
  if (!fs::is_directory(status)) return std::vector<std::string>{root};
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(root, error), end;
  if (error) {
    return absl::NotFoundError(
        absl::StrCat(root, ": cannot read: ", error.message()));
  }
  for (; it != end; it.increment(error)) {
    if (error) {
      return absl::NotFoundError(
          absl::StrCat(root, ": cannot read: ", error.message()));
    }
    const std::string name = it->path().filename().string();
    if (!absl::EndsWith(name, kSuiteSuffix)) continue;
    // A suite link whose target is missing is listed, so running it reports
    // the broken link instead of skipping the suite silently.
    std::error_code type_error;
    if (it->is_regular_file(type_error) ||
        (it->is_symlink(type_error) && !it->exists(type_error))) {
      files.push_back(it->path().string());
    }
  }
  if (error) {
    return absl::NotFoundError(
        absl::StrCat(root, ": cannot read: ", error.message()));
  }
  if (files.empty()) {
    return absl::NotFoundError(
        absl::StrCat(root, ": no *", kSuiteSuffix, " file under it"));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tact
