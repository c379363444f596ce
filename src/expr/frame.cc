// Frame: binds a Program to one decision's context, extracting every fact the
// program reads into slots once and validating the declared attributes.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/expr/context_schema.h"
#include "src/expr/frame_state.h"
#include "src/expr/program.h"
#include "src/expr/program_impl.h"

namespace tact::internal {

Frame::Frame(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Frame::Frame() : impl_(std::make_unique<Impl>()) {}
Frame::~Frame() = default;

namespace {

absl::string_view Article(ValueType t) {
  return t == ValueType::kInt ? "an" : "a";
}

// Reads a context attribute as the declared type. Returns false with a
// message when present with another kind.
bool ReadAttribute(const v1::Value& v, ValueType declared, Value* out,
                   ValueType* actual) {
  switch (v.kind_case()) {
    case v1::Value::kBoolValue:
      *actual = ValueType::kBool;
      *out = Value::Bool(v.bool_value());
      break;
    case v1::Value::kIntValue:
      *actual = ValueType::kInt;
      *out = declared == ValueType::kDouble
                 ? Value::Double(static_cast<double>(v.int_value()))
                 : Value::Int(v.int_value());
      if (declared == ValueType::kDouble) return true;
      break;
    case v1::Value::kDoubleValue:
      *actual = ValueType::kDouble;
      *out = Value::Double(v.double_value());
      break;
    case v1::Value::kStringValue:
      *actual = ValueType::kString;
      *out = Value::String(v.string_value());
      break;
    case v1::Value::kTimestampValue: {
      *actual = ValueType::kTimestamp;
      int64_t nanos;
      *out = TimestampToNanos(v.timestamp_value(), &nanos)
                 ? Value::Timestamp(nanos)
                 : Value::Error("attribute timestamp is out of range");
      break;
    }
    case v1::Value::kDurationValue: {
      *actual = ValueType::kDuration;
      int64_t nanos;
      *out = DurationToNanos(v.duration_value(), &nanos)
                 ? Value::Duration(nanos)
                 : Value::Error("attribute duration is out of range");
      break;
    }
    case v1::Value::KIND_NOT_SET:
      *actual = ValueType::kError;
      return true;
  }
  return *actual == declared;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Frame>> Frame::Create(
    const Program& program, const tact::v1::Context& context) {
  auto frame = std::make_unique<Frame>();
  absl::Status status = frame->Reset(program, context);
  if (!status.ok()) return status;
  return frame;
}

absl::Status Frame::Reset(const Program& program,
                          const tact::v1::Context& context) {
  const CompiledProgram& p = *program.impl_->program;
  Impl& impl = *impl_;
  impl.program = &p;
  impl.context = &context;
  impl.arena.clear();
  // Every declared attribute is validated (one lookup each), so a context
  // with a mistyped attribute is rejected whichever rules read it.
  std::vector<Value>& attributes = impl.attributes;
  attributes.resize(p.attributes.size());
  for (size_t i = 0; i < p.attributes.size(); ++i) {
    const AttributeDecl& decl = p.attributes[i];
    attributes[i] = Value::Error(p.attribute_missing[i]);
    if (context.attributes().empty()) continue;
    auto it = context.attributes().find(decl.name);
    if (it == context.attributes().end()) continue;
    ValueType actual = ValueType::kError;
    Value v;
    if (!ReadAttribute(it->second, decl.type, &v, &actual)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "attribute '", decl.name, "' is ", Article(actual), " ",
          TypeName(actual), "; the policy declares ", TypeName(decl.type)));
    }
    if (actual != ValueType::kError) attributes[i] = v;
  }
  impl.slots.clear();
  for (const SlotSource& s : p.slots) {
    switch (s.kind) {
      case SlotSource::Kind::kContextField:
        impl.slots.push_back(ContextFields()[s.index].get(context));
        break;
      case SlotSource::Kind::kAttribute:
        impl.slots.push_back(attributes[s.index]);
        break;
      case SlotSource::Kind::kComputed:  // unset until SetComputed
        impl.slots.push_back(Value::Error(p.computed_missing[s.index]));
        break;
    }
  }
  impl.definition_values.resize(p.definition_count);
  impl.ForgetDefinitions();
  impl.definition_epoch.resize(p.definition_count, 0);
  impl.loop.assign(std::max<int32_t>(p.loop_depth, 1), -1);
  impl.history.Reset(context);
  impl.StartBudget(EvalBudget());
  return absl::OkStatus();
}

const HistoryView& Frame::history() const { return impl_->history; }

void Frame::SetBudget(const EvalBudget& budget) { impl_->StartBudget(budget); }

void Frame::SetSite(absl::string_view kind, absl::string_view name) {
  impl_->site_kind = kind;
  impl_->site_name = name;
}

bool Frame::ChargeBytes(int64_t bytes, absl::string_view what) {
  return impl_->ChargeBytes(bytes, what);
}

bool Frame::CheckInterrupt() { return impl_->CheckInterrupt(); }

bool Frame::ChargeSteps(int64_t steps) { return impl_->ChargeSteps(steps); }

void Frame::SetComputed(int32_t index, const Value& value) {
  Impl& impl = *impl_;
  const CompiledProgram* p = impl.program;
  if (p == nullptr || index < 0 ||
      static_cast<size_t>(index) >= p->computed.size()) {
    return;
  }
  const int32_t slot = p->computed_slot[index];
  // No expression reads it (or a failed Reset left no slots).
  if (slot < 0 || static_cast<size_t>(slot) >= impl.slots.size()) return;
  const ValueType declared = p->computed[index].type;
  Value v = value;
  if (v.type == ValueType::kInt && declared == ValueType::kDouble) {
    v = Value::Double(static_cast<double>(v.int_value));
  }
  // Fail closed: an error or a value of another type leaves it unset.
  impl.slots[slot] =
      v.type == declared ? v : Value::Error(p->computed_missing[index]);
  // Definitions evaluated before this call must not keep the old value.
  impl.ForgetDefinitions();
}

const absl::Status& Frame::budget_status() const { return impl_->exhausted; }

void FrameState::StartBudget(const EvalBudget& b) {
  budget = b;
  steps_before_window = 0;
  window = std::min(kStepsPerInterruptCheck, std::max<int64_t>(b.max_steps, 0));
  countdown = window;
  bytes_built = 0;
  exhausted = absl::OkStatus();
  exhausted_message.clear();
  site_kind = {};
  site_name = {};
  definition = -1;
}

namespace {

// " in rule 'refund' (definition 'angry')": where a budget ran out.
std::string Where(const FrameState& f) {
  std::string where;
  if (!f.site_kind.empty()) {
    absl::StrAppend(&where, " in ", f.site_kind);
    if (!f.site_name.empty()) absl::StrAppend(&where, " '", f.site_name, "'");
  }
  if (f.definition >= 0 && f.program != nullptr &&
      static_cast<size_t>(f.definition) < f.program->definition_names.size()) {
    absl::StrAppend(&where, where.empty() ? " in" : ",", " definition '",
                    f.program->definition_names[f.definition], "'");
  }
  return where;
}

}  // namespace

bool FrameState::Exhaust(absl::Status status) {
  if (exhausted.ok()) {
    exhausted = std::move(status);
    exhausted_message = std::string(exhausted.message());
  }
  window = 0;
  countdown = 0;
  return false;
}

bool FrameState::Tick() {
  if (!exhausted.ok()) {
    countdown = 0;
    return false;
  }
  const int64_t used = steps_before_window + (window - countdown);
  if (used > budget.max_steps) {
    return Exhaust(absl::ResourceExhaustedError(
        absl::StrCat("evaluation exceeded max_evaluation_steps (",
                     budget.max_steps, " steps)", Where(*this))));
  }
  steps_before_window = used;
  window = std::min(kStepsPerInterruptCheck, budget.max_steps - used);
  countdown = window;
  return CheckInterrupt();
}

bool FrameState::CheckInterrupt() {
  if (!exhausted.ok()) return false;
  if (budget.cancel != nullptr &&
      budget.cancel->load(std::memory_order_relaxed)) {
    return Exhaust(
        absl::CancelledError(absl::StrCat("decision cancelled", Where(*this))));
  }
  if (budget.deadline != absl::InfiniteFuture() &&
      absl::Now() >= budget.deadline) {
    return Exhaust(absl::DeadlineExceededError(
        absl::StrCat("decision deadline passed", Where(*this))));
  }
  return true;
}

bool FrameState::ChargeBytes(int64_t n, absl::string_view what) {
  if (!exhausted.ok()) return false;
  if (n > budget.max_string_bytes - bytes_built) {
    return Exhaust(absl::ResourceExhaustedError(
        absl::StrCat("evaluation exceeded max_string_bytes_built (",
                     budget.max_string_bytes, " bytes): ", what, " of ", n,
                     " bytes after ", bytes_built, " built", Where(*this))));
  }
  bytes_built += n;
  return true;
}

}  // namespace tact::internal
