// Computed facts (ProgramBuilder::DeclareComputed, Frame::SetComputed): the
// per-decision values a construct computes before any rule runs, read by
// expressions as sla.<target>.<fact>.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/expr/program.h"
#include "src/expr/value.h"

// Counts every allocation of this test binary, for the steady-state test.
namespace {
std::atomic<long> g_allocations{0};

__attribute__((noinline)) void* Allocate(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

__attribute__((noinline)) void Release(void* p) { std::free(p); }
}  // namespace

void* operator new(std::size_t n) { return Allocate(n); }
void* operator new[](std::size_t n) { return Allocate(n); }
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, std::size_t) noexcept { Release(p); }
void operator delete[](void* p, std::size_t) noexcept { Release(p); }

namespace tact::internal {
namespace {

constexpr int64_t kHour = 3600LL * 1000000000LL;

v1::Context MakeContext() {
  v1::Context c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        customer { tier: "gold" }
        now { seconds: 1767355200 }
        attributes {
          key: "sla.first_reply.state"
          value { string_value: "from-attributes" }
        }
      )pb",
      &c));
  return c;
}

std::string Show(const Value& v) {
  if (v.is_error()) return absl::StrCat("error:", v.string_value);
  return absl::StrCat(TypeName(v.type), ":", FormatValue(v));
}

// The facts one service-level target computes.
struct Facts {
  int32_t remaining = -1;  // duration
  int32_t due = -1;        // timestamp
  int32_t state = -1;      // string
  int32_t percent = -1;    // double
  int32_t breaches = -1;   // int
  int32_t paused = -1;     // bool
};

Facts DeclareFacts(ProgramBuilder& b) {
  Facts f;
  auto declare = [&](absl::string_view path, ValueType type) {
    absl::StatusOr<int32_t> index = b.DeclareComputed(path, type);
    EXPECT_TRUE(index.ok()) << index.status();
    return index.ok() ? *index : -1;
  };
  f.remaining = declare("sla.first_reply.remaining", ValueType::kDuration);
  f.due = declare("sla.first_reply.due", ValueType::kTimestamp);
  f.state = declare("sla.first_reply.state", ValueType::kString);
  f.percent = declare("sla.first_reply.percent", ValueType::kDouble);
  f.breaches = declare("sla.first_reply.breaches", ValueType::kInt);
  f.paused = declare("sla.resolution.paused", ValueType::kBool);
  return f;
}

TEST(DeclareComputed, IndicesInDeclarationOrder) {
  ProgramBuilder b;
  Facts f = DeclareFacts(b);
  EXPECT_EQ(f.remaining, 0);
  EXPECT_EQ(f.due, 1);
  EXPECT_EQ(f.state, 2);
  EXPECT_EQ(f.percent, 3);
  EXPECT_EQ(f.breaches, 4);
  EXPECT_EQ(f.paused, 5);
}

TEST(DeclareComputed, RejectsMalformedAndDuplicatePaths) {
  ProgramBuilder b;
  ASSERT_TRUE(b.DeclareComputed("sla.a.b", ValueType::kInt).ok());
  for (absl::string_view bad :
       {"sla.a", "sla.a.b.c", "slo.a.b", "sla..b", "sla.A.b", "sla.a.1b",
        "sla.a.b-c", "sla.a.", "", "sla._a.b"}) {
    absl::StatusOr<int32_t> r = b.DeclareComputed(bad, ValueType::kInt);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  absl::StatusOr<int32_t> dup = b.DeclareComputed("sla.a.b", ValueType::kBool);
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(dup.status().message().find("declared twice"), std::string::npos);
  EXPECT_FALSE(b.DeclareComputed("sla.a.c", ValueType::kEventList).ok());
  // Components may hold digits and underscores after the first letter.
  EXPECT_EQ(*b.DeclareComputed("sla.t_2.f_3", ValueType::kInt), 1);
}

TEST(DeclareComputed, SlaIsAReservedDefinitionName) {
  ProgramBuilder b;
  absl::Status s = b.DeclareDefinition("sla", "true");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("reserved"), std::string::npos);
}

class ComputedFactsTest : public ::testing::Test {
 protected:
  ComputedFactsTest() : context_(MakeContext()) {}

  // Builds a program of `sources` (any type) with the facts declared.
  void Build(const std::vector<std::string>& sources, bool specialize = true) {
    ProgramBuilder b;
    ASSERT_TRUE(
        b.DeclareAttribute("sla.first_reply.state", ValueType::kString).ok());
    facts_ = DeclareFacts(b);
    if (!specialize) b.DisableSpecializationForTesting();
    ASSERT_TRUE(
        b.DeclareDefinition("late", "sla.first_reply.percent >= 75.0").ok());
    ids_.clear();
    for (const std::string& src : sources) {
      std::vector<ExprDiagnostic> diags;
      absl::StatusOr<ExprId> id = b.AddExpression(src, nullptr, &diags);
      ASSERT_TRUE(id.ok()) << src << ": " << id.status();
      ids_.push_back(*id);
    }
    program_ = std::move(b).Build();
    auto frame = Frame::Create(*program_, context_);
    ASSERT_TRUE(frame.ok()) << frame.status();
    frame_ = std::move(*frame);
  }

  std::string Eval(size_t i) {
    return Show(program_->Evaluate(ids_[i], *frame_));
  }

  void Reset() { ASSERT_TRUE(frame_->Reset(*program_, context_).ok()); }

  v1::Context context_;
  Facts facts_;
  std::vector<ExprId> ids_;
  std::unique_ptr<const Program> program_;
  std::unique_ptr<Frame> frame_;
};

TEST_F(ComputedFactsTest, ReadsEachType) {
  Build({"sla.first_reply.remaining", "sla.first_reply.due",
         "sla.first_reply.state", "sla.first_reply.percent",
         "sla.first_reply.breaches", "sla.resolution.paused"});
  frame_->SetComputed(facts_.remaining, Value::Duration(2 * kHour));
  frame_->SetComputed(facts_.due, Value::Timestamp(1767355200LL * 1000000000));
  frame_->SetComputed(facts_.state, Value::String("at_risk"));
  frame_->SetComputed(facts_.percent, Value::Double(80.5));
  frame_->SetComputed(facts_.breaches, Value::Int(3));
  frame_->SetComputed(facts_.paused, Value::Bool(true));
  EXPECT_EQ(Eval(0), "duration:7200s");
  EXPECT_EQ(Eval(1), "timestamp:2026-01-02T12:00:00Z");
  EXPECT_EQ(Eval(2), "string:at_risk");
  EXPECT_EQ(Eval(3), "double:80.5");
  EXPECT_EQ(Eval(4), "int:3");
  EXPECT_EQ(Eval(5), "bool:true");
}

TEST_F(ComputedFactsTest, UnsetReadsAsAnErrorAndHasIsFalse) {
  Build({"sla.first_reply.due", "has(sla.first_reply.due)",
         "has(sla.first_reply.breaches)", "sla.first_reply.breaches > 0"});
  EXPECT_EQ(Eval(0), "error:sla.first_reply.due is not set");
  EXPECT_EQ(Eval(1), "bool:false");
  EXPECT_EQ(Eval(2), "bool:false");
  EXPECT_EQ(Eval(3), "error:sla.first_reply.breaches is not set");
  frame_->SetComputed(facts_.due, Value::Timestamp(0));
  // Presence, not a non-default value: 0 is set.
  frame_->SetComputed(facts_.breaches, Value::Int(0));
  EXPECT_EQ(Eval(1), "bool:true");
  EXPECT_EQ(Eval(2), "bool:true");
  EXPECT_EQ(Eval(3), "bool:false");
}

TEST_F(ComputedFactsTest, ResetUnsetsEveryFactOfTheLastDecision) {
  Build({"sla.first_reply.state == 'breached'", "has(sla.first_reply.state)"});
  frame_->SetComputed(facts_.state, Value::String("breached"));
  EXPECT_EQ(Eval(0), "bool:true");
  EXPECT_EQ(Eval(1), "bool:true");
  // Decision 2 on the same frame, the fact not set again.
  Reset();
  EXPECT_EQ(Eval(0), "error:sla.first_reply.state is not set");
  EXPECT_EQ(Eval(1), "bool:false");
  // Decision 3 sets it to something else.
  Reset();
  frame_->SetComputed(facts_.state, Value::String("met"));
  EXPECT_EQ(Eval(0), "bool:false");
}

TEST_F(ComputedFactsTest, ErrorOrWrongTypeUnsets) {
  Build({"sla.first_reply.remaining", "sla.first_reply.percent"});
  frame_->SetComputed(facts_.remaining, Value::Duration(kHour));
  EXPECT_EQ(Eval(0), "duration:3600s");
  frame_->SetComputed(facts_.remaining, Value::Error("no calendar"));
  EXPECT_EQ(Eval(0), "error:sla.first_reply.remaining is not set");
  frame_->SetComputed(facts_.remaining, Value::Duration(kHour));
  frame_->SetComputed(facts_.remaining, Value::Int(5));  // fail closed
  EXPECT_EQ(Eval(0), "error:sla.first_reply.remaining is not set");
  // An int where a double is declared converts.
  frame_->SetComputed(facts_.percent, Value::Int(50));
  EXPECT_EQ(Eval(1), "double:50");
  // Out of range and unread facts are ignored.
  frame_->SetComputed(-1, Value::Int(1));
  frame_->SetComputed(99, Value::Int(1));
  frame_->SetComputed(facts_.paused, Value::Bool(true));
  EXPECT_EQ(Eval(0), "error:sla.first_reply.remaining is not set");
}

TEST_F(ComputedFactsTest, ComparisonsFastAndGeneralPathsAgree) {
  const std::vector<std::string> sources = {
      "sla.first_reply.remaining < duration('1h')",
      "sla.first_reply.percent >= 75",
      "sla.first_reply.state == 'breached'",
      "sla.first_reply.state != 'breached'",
      "sla.first_reply.breaches > 2",
      "sla.first_reply.due <= now",
      "sla.resolution.paused == true",
      "sla.first_reply.state in ['breached', 'at_risk']",
      "sla.first_reply.remaining + duration('30m') <= duration('1h')",
  };
  for (int decision = 0; decision < 3; ++decision) {
    std::vector<std::string> results[2];
    for (int specialize = 0; specialize < 2; ++specialize) {
      Build(sources, specialize == 1);
      if (decision == 1) {
        frame_->SetComputed(facts_.remaining, Value::Duration(kHour / 2));
        frame_->SetComputed(facts_.percent, Value::Double(75));
        frame_->SetComputed(facts_.state, Value::String("breached"));
        frame_->SetComputed(facts_.breaches, Value::Int(3));
        frame_->SetComputed(facts_.due,
                            Value::Timestamp(1767355200LL * 1000000000));
        frame_->SetComputed(facts_.paused, Value::Bool(true));
      } else if (decision == 2) {
        frame_->SetComputed(facts_.remaining, Value::Duration(2 * kHour));
        frame_->SetComputed(facts_.percent, Value::Double(10));
        frame_->SetComputed(facts_.state, Value::String("met"));
        frame_->SetComputed(facts_.breaches, Value::Int(2));
        frame_->SetComputed(facts_.due,
                            Value::Timestamp(1767355201LL * 1000000000));
        frame_->SetComputed(facts_.paused, Value::Bool(false));
      }
      for (size_t i = 0; i < sources.size(); ++i) {
        results[specialize].push_back(Eval(i));
      }
    }
    EXPECT_EQ(results[0], results[1]) << "decision " << decision;
    const std::string expected = decision == 1 ? "bool:true" : "bool:false";
    if (decision != 0) {
      for (size_t i = 0; i < sources.size(); ++i) {
        // `!=` is the negation of the `==` before it.
        const bool negated = i == 3;
        EXPECT_EQ(
            results[1][i],
            negated ? (decision == 1 ? "bool:false" : "bool:true") : expected)
            << sources[i] << " in decision " << decision;
      }
    } else {
      EXPECT_EQ(results[1][0], "error:sla.first_reply.remaining is not set");
    }
  }
}

TEST_F(ComputedFactsTest, DefinitionsReadThemAndSeeALaterSet) {
  Build({"late", "late && sla.first_reply.state == 'at_risk'"});
  EXPECT_EQ(Eval(0), "error:sla.first_reply.percent is not set");
  frame_->SetComputed(facts_.percent, Value::Double(90));
  frame_->SetComputed(facts_.state, Value::String("at_risk"));
  // The memoized unset value is forgotten by SetComputed.
  EXPECT_EQ(Eval(0), "bool:true");
  EXPECT_EQ(Eval(1), "bool:true");
  Reset();
  frame_->SetComputed(facts_.percent, Value::Double(10));
  EXPECT_EQ(Eval(0), "bool:false");
}

TEST(ComputedFacts, DeclaredAfterADefinitionIsDeclaredStillResolve) {
  // The policy compiler declares facts while compiling: a definition
  // declared before the facts, compiled after, reads them.
  ProgramBuilder b;
  ASSERT_TRUE(
      b.DeclareDefinition("breached", "sla.x.state == 'breached'").ok());
  absl::StatusOr<int32_t> state =
      b.DeclareComputed("sla.x.state", ValueType::kString);
  ASSERT_TRUE(state.ok());
  absl::StatusOr<ExprId> id = b.AddExpression("breached", nullptr, nullptr);
  ASSERT_TRUE(id.ok()) << id.status();
  auto program = std::move(b).Build();
  v1::Context context = MakeContext();
  auto frame = Frame::Create(*program, context);
  ASSERT_TRUE(frame.ok());
  (*frame)->SetComputed(*state, Value::String("breached"));
  EXPECT_EQ(Show(program->Evaluate(*id, **frame)), "bool:true");
}

TEST_F(ComputedFactsTest, AttributesNeverReadAComputedFact) {
  Build({"attributes['sla.first_reply.state']", "sla.first_reply.state"});
  frame_->SetComputed(facts_.state, Value::String("computed"));
  EXPECT_EQ(Eval(0), "string:from-attributes");
  EXPECT_EQ(Eval(1), "string:computed");
}

TEST_F(ComputedFactsTest, NotContextInput) {
  Build({"sla.first_reply.remaining", "attributes['sla.first_reply.state']",
         "customer.tier"});
  EXPECT_EQ(program_->ContextPathOf(ids_[0]), "");
  EXPECT_EQ(program_->ContextPathOf(ids_[1]),
            "attributes.sla.first_reply.state");
  EXPECT_EQ(program_->ContextPathOf(ids_[2]), "customer.tier");
  EXPECT_EQ(program_->ComputedPathOf(ids_[0]), "sla.first_reply.remaining");
  EXPECT_EQ(program_->ComputedPathOf(ids_[1]), "");
  EXPECT_EQ(program_->ComputedPathOf(ids_[2]), "");
  // Usage lists attributes only; the computed fact is not context-free.
  Program::Usage usage = program_->ComputeUsage();
  ASSERT_EQ(usage.attributes.size(), 1u);
  EXPECT_EQ(usage.attributes[0].first, "sla.first_reply.state");
  EXPECT_FALSE(usage.context_free[ids_[0]]);
}

TEST(ComputedFacts, OperandsShowThePathAndAbsentWhenUnset) {
  ProgramBuilder b;
  Facts f = DeclareFacts(b);
  absl::StatusOr<std::vector<Conjunct>> conjuncts = b.AddCondition(
      "sla.first_reply.remaining < duration('1h') && "
      "has(sla.first_reply.due)",
      nullptr);
  ASSERT_TRUE(conjuncts.ok()) << conjuncts.status();
  ASSERT_EQ(conjuncts->size(), 2u);
  auto program = std::move(b).Build();
  v1::Context context = MakeContext();
  auto frame = Frame::Create(*program, context);
  ASSERT_TRUE(frame.ok());
  const auto& first = program->OperandsOf((*conjuncts)[0]);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].source, "sla.first_reply.remaining");
  const auto& second = program->OperandsOf((*conjuncts)[1]);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].source, "sla.first_reply.due");
  EXPECT_EQ(program->OperandValue(first[0].expr, **frame, 256), "absent");
  (*frame)->SetComputed(f.remaining, Value::Duration(kHour));
  EXPECT_EQ(program->OperandValue(first[0].expr, **frame, 256),
            "duration(\"3600s\")");
  // why-not (condition_change) sees a test of no context path.
  Program::BoolShape shape = program->ShapeOf((*conjuncts)[0].expr);
  EXPECT_EQ(shape.kind, Program::BoolShape::Kind::kCompare);
  EXPECT_EQ(program->ContextPathOf(shape.operand), "");
  Program::BoolShape has = program->ShapeOf((*conjuncts)[1].expr);
  EXPECT_EQ(has.kind, Program::BoolShape::Kind::kHas);
  EXPECT_EQ(program->ContextPathOf(has.operand), "");
  // Never constant: not a comparison with the fact folded away.
  Program::Comparison c;
  ASSERT_TRUE(program->AsComparison((*conjuncts)[0].expr, &c));
  EXPECT_EQ(c.operand, first[0].expr);
}

// --- Checker diagnostics ---

std::string CompileError(absl::string_view src, bool declare = true) {
  ProgramBuilder b;
  if (declare) DeclareFacts(b);
  std::vector<ExprDiagnostic> diags;
  absl::StatusOr<ExprId> id = b.AddExpression(src, nullptr, &diags);
  if (id.ok() || diags.empty()) return "compiled";
  return absl::StrCat(diags[0].location.line, ":", diags[0].location.column,
                      ": ", diags[0].message);
}

TEST(ComputedFactsChecker, UnknownFactSuggestsTheNearest) {
  EXPECT_EQ(CompileError("sla.first_reply.remainig < duration('1h')"),
            "1:17: unknown service-level fact sla.first_reply.remainig; did "
            "you mean sla.first_reply.remaining?");
  EXPECT_EQ(CompileError("sla.first_reply.zzzzzzzzzz"),
            "1:17: unknown service-level fact sla.first_reply.zzzzzzzzzz");
}

TEST(ComputedFactsChecker, UnknownTargetSuggestsTheNearest) {
  EXPECT_EQ(CompileError("has(sla.frist_reply.due)"),
            "1:9: unknown service-level target sla.frist_reply; did you mean "
            "sla.first_reply?");
  EXPECT_EQ(CompileError("sla.resolutoin.paused"),
            "1:5: unknown service-level target sla.resolutoin; did you mean "
            "sla.resolution?");
}

TEST(ComputedFactsChecker, IncompletePaths) {
  const std::string kMessage =
      "'sla' must be followed by a target and a fact, e.g. "
      "sla.first_reply.remaining";
  EXPECT_EQ(CompileError("sla"), "1:1: " + kMessage);
  EXPECT_EQ(CompileError("sla.first_reply == 1"), "1:5: " + kMessage);
  EXPECT_EQ(CompileError("sla.first_reply.remaining.x"),
            "1:27: cannot select field 'x' from duration");
}

TEST(ComputedFactsChecker, NoServiceLevels) {
  EXPECT_EQ(CompileError("sla.first_reply.remaining", false),
            "1:1: unknown identifier 'sla'; the policy has no service_levels");
  EXPECT_EQ(CompileError("sla", false),
            "1:1: unknown identifier 'sla'; the policy has no service_levels");
  // `sla` is suggested only when facts are declared.
  EXPECT_EQ(CompileError("slb", false), "1:1: unknown identifier 'slb'");
  EXPECT_EQ(CompileError("slb"),
            "1:1: unknown identifier 'slb'; did you mean sla?");
}

TEST(ComputedFactsChecker, AttributesSlaIsAnAttribute) {
  EXPECT_EQ(CompileError("attributes.sla"), "1:12: unknown attribute 'sla'");
  EXPECT_EQ(CompileError("attributes['sla.first_reply.state']"),
            "1:11: unknown attribute 'sla.first_reply.state'");
}

TEST(ComputedFactsChecker, ALoopVariableNamedSlaIsAnEvent) {
  ProgramBuilder b;
  DeclareFacts(b);
  absl::StatusOr<ExprId> id = b.AddExpression(
      "history.exists(sla, sla.kind == 'complaint')", nullptr, nullptr);
  EXPECT_TRUE(id.ok()) << id.status();
}

// --- Steady state ---

TEST_F(ComputedFactsTest, SetAndReadOnAReusedFrameDoNotAllocate) {
  Build({"sla.first_reply.remaining < duration('1h')",
         "sla.first_reply.state == 'breached' && late",
         "has(sla.first_reply.due)"});
  for (int warm = 0; warm < 2; ++warm) {
    Reset();
    frame_->SetComputed(facts_.remaining, Value::Duration(kHour));
    frame_->SetComputed(facts_.state, Value::String("breached"));
    for (size_t i = 0; i < ids_.size(); ++i) {
      program_->Evaluate(ids_[i], *frame_);
    }
  }
  const long before = g_allocations.load();
  Reset();
  frame_->SetComputed(facts_.remaining, Value::Duration(kHour / 2));
  frame_->SetComputed(facts_.state, Value::String("breached"));
  frame_->SetComputed(facts_.percent, Value::Double(80));
  frame_->SetComputed(facts_.due, Value::Timestamp(0));
  frame_->SetComputed(facts_.paused, Value::Bool(true));  // unread
  bool all = true;
  for (size_t i = 0; i < ids_.size(); ++i) {
    Value v = program_->Evaluate(ids_[i], *frame_);
    all = all && !v.is_error() && v.bool_value;
  }
  const long after = g_allocations.load();
  EXPECT_TRUE(all);
  EXPECT_EQ(after - before, 0);
  // The counter counts.
  auto probe = std::make_unique<std::vector<int>>(100);
  EXPECT_GT(g_allocations.load(), after);
}

}  // namespace
}  // namespace tact::internal
