// The decision record (DecideOptions::record): decision_id, context_digest,
// tact_version beside the authority and trace level.
#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "src/io/policy_source.h"
#include "tact/engine.h"
#include "tact/version.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::testing::MatchesRegex;

std::unique_ptr<const Engine> Load(const std::string& path) {
  auto engine = Engine::FromFile(path);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

v1::Context VipContext() {
  auto context = ContextFromFile("examples/contexts/late_delivery_vip.json");
  EXPECT_TRUE(context.ok()) << context.status();
  return context.ok() ? *context : v1::Context();
}

std::string DeterministicBytes(const v1::Context& context) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    context.SerializeToCodedStream(&coded);
  }
  return bytes;
}

DecideOptions Recorded(const std::string& authority = "",
                       v1::TraceLevel level = v1::TRACE_OFF) {
  DecideOptions options;
  options.record = true;
  options.authority = authority;
  options.trace_level = level;
  return options;
}

TEST(DecisionRecordTest, RecordFillsIdDigestAndVersion) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const v1::Context context = VipContext();
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(context, Recorded("agent")));
  EXPECT_THAT(d.decision_id(), MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(d.context_digest(),
            "sha256:" + internal::Sha256Hex(DeterministicBytes(context)));
  EXPECT_EQ(d.tact_version(), TACT_VERSION);
  EXPECT_EQ(d.authority(), "agent");
}

TEST(DecisionRecordTest, ContextDigestIsTheDeterministicWireFormatsSha256) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  v1::Context context = VipContext();
  // Two contexts with the same attributes inserted in opposite orders.
  v1::Context reordered = context;
  reordered.mutable_attributes()->clear();
  for (const char* name : {"z", "a", "m"}) {
    (*context.mutable_attributes())[name].set_int_value(1);
  }
  for (const char* name : {"m", "a", "z"}) {
    (*reordered.mutable_attributes())[name].set_int_value(1);
  }
  const v1::Context original = VipContext();
  for (const auto& [name, value] : original.attributes()) {
    (*reordered.mutable_attributes())[name] = value;
  }
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision a,
                            engine->Decide(context, Recorded()));
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision b,
                            engine->Decide(reordered, Recorded()));
  EXPECT_EQ(a.context_digest(), b.context_digest());
  EXPECT_EQ(a.decision_id(), b.decision_id());
}

TEST(DecisionRecordTest, SameInputsGiveTheSameId) {
  auto engine = Load("examples/policies/support.textproto");
  auto again = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  ASSERT_NE(again, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision a,
                            engine->Decide(VipContext(), Recorded("bot")));
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision b,
                            again->Decide(VipContext(), Recorded("bot")));
  EXPECT_EQ(a.decision_id(), b.decision_id());
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

TEST(DecisionRecordTest, AnyInputChangeGivesAnotherId) {
  auto support = Load("examples/policies/support.textproto");
  auto playbook = Load("examples/policies/service_playbook.textproto");
  ASSERT_NE(support, nullptr);
  ASSERT_NE(playbook, nullptr);
  const v1::Context context = VipContext();
  v1::Context tier = context;
  tier.mutable_customer()->set_tier("standard");
  v1::Context later = context;
  later.mutable_now()->set_seconds(context.now().seconds() + 1);

  std::set<std::string> ids;
  auto id = [&](const Engine& engine, const v1::Context& c,
                const DecideOptions& options) {
    auto d = engine.Decide(c, options);
    EXPECT_TRUE(d.ok()) << d.status();
    ids.insert(d.ok() ? d->decision_id() : "");
  };
  id(*support, context, Recorded());
  id(*support, tier, Recorded());                            // context
  id(*support, later, Recorded());                           // now
  id(*support, context, Recorded("bot"));                    // authority
  id(*support, context, Recorded("agent"));                  // authority
  id(*support, context, Recorded("", v1::TRACE_EVALUATED));  // trace level
  id(*support, context, Recorded("", v1::TRACE_FULL));       // trace level
  id(*playbook, context, Recorded());                        // policy
  EXPECT_EQ(ids.size(), 8u);
}

TEST(DecisionRecordTest, TraceTrueIdsAsTraceFull) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  DecideOptions traced = Recorded();
  traced.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision a,
                            engine->Decide(VipContext(), traced));
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision b,
      engine->Decide(VipContext(), Recorded("", v1::TRACE_FULL)));
  EXPECT_EQ(a.decision_id(), b.decision_id());
}

TEST(DecisionRecordTest, RecordOffLeavesTheFieldsEmpty) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  // Even in a Decision a recorded decision filled before.
  v1::Decision d;
  ASSERT_THAT(engine->DecideInto(VipContext(), Recorded(), &d), IsOk());
  ASSERT_FALSE(d.decision_id().empty());
  ASSERT_THAT(engine->DecideInto(VipContext(), DecideOptions(), &d), IsOk());
  EXPECT_EQ(d.decision_id(), "");
  EXPECT_EQ(d.context_digest(), "");
  EXPECT_EQ(d.tact_version(), "");
  EXPECT_EQ(d.SerializeAsString(),
            engine->Decide(VipContext())->SerializeAsString());
}

TEST(DecisionRecordTest, RecordChangesNothingElse) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision recorded,
                            engine->Decide(VipContext(), Recorded()));
  recorded.clear_decision_id();
  recorded.clear_context_digest();
  recorded.clear_tact_version();
  EXPECT_EQ(recorded.SerializeAsString(),
            engine->Decide(VipContext())->SerializeAsString());
}

TEST(DecisionRecordTest, KnownIdPinsTheEncoding) {
  // The id's encoding (decision.proto) computed here independently: a
  // change to it changes every id in every log, so it must be deliberate.
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(VipContext(), Recorded("bot")));
  std::string input("tact.decision_id.v1", sizeof("tact.decision_id.v1"));
  for (const std::string& field :
       {d.policy_hash(), d.context_digest(), std::string("bot"),
        std::string("TRACE_OFF")}) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      input.push_back(static_cast<char>((field.size() >> shift) & 0xff));
    }
    input += field;
  }
  EXPECT_EQ(d.decision_id(), internal::Sha256Hex(input).substr(0, 32));
}

}  // namespace
}  // namespace tact
