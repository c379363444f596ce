// Small views of a decision for construct tests, and the host's half of a
// case's life: recording a decision's effects into the next context's
// history. Failures are reported through gtest; the functions then return
// an empty value so the test goes on and reports everything wrong.
#ifndef TACT_TESTS_TESTING_DECISIONS_H_
#define TACT_TESTS_TESTING_DECISIONS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::testing {

// The engine of a text-format policy, or nullptr after a test failure.
inline std::unique_ptr<const Engine> MustCompile(absl::string_view text) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "t.textproto");
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

// The decision, or an empty one after a test failure.
inline v1::Decision MustDecide(const Engine& engine, const v1::Context& context,
                               const DecideOptions& options = {}) {
  absl::StatusOr<v1::Decision> d = engine.Decide(context, options);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *std::move(d) : v1::Decision();
}

// The recommended actions' ids, in rank order.
inline std::vector<std::string> Ids(const v1::Decision& d) {
  std::vector<std::string> ids;
  for (const auto& a : d.actions()) ids.push_back(a.action());
  return ids;
}

// "action:code" of every blocked action, in order.
inline std::vector<std::string> Blocked(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& b : d.blocked()) {
    out.push_back(absl::StrCat(b.action(), ":", b.code()));
  }
  return out;
}

// "kind:ref:amount:step" of every effect, in order.
inline std::vector<std::string> Effects(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& e : d.effects()) {
    out.push_back(
        absl::StrCat(e.kind(), ":", e.ref(), ":", e.amount(), ":", e.step()));
  }
  return out;
}

// What a host does after a decision: appends its effects to the history, as
// events of this case at `now` (seconds since the epoch).
inline void Record(const v1::Decision& d, int64_t now, v1::Context* context) {
  for (const v1::Effect& e : d.effects()) {
    v1::Event* event = context->add_history();
    event->set_kind(e.kind());
    event->set_ref(e.ref());
    event->set_step(e.step());
    event->set_amount(e.amount());
    event->set_case_id(context->case_().id());
    event->mutable_at()->set_seconds(now);
  }
}

// The same for a decision whose effects carry their case and time (every
// decision's do): appends each effect exactly as it says.
inline void Record(const v1::Decision& d, v1::Context* context) {
  for (const v1::Effect& e : d.effects()) {
    v1::Event* event = context->add_history();
    event->set_kind(e.kind());
    event->set_ref(e.ref());
    event->set_step(e.step());
    event->set_amount(e.amount());
    event->set_case_id(e.case_id());
    *event->mutable_at() = e.at();
  }
}

}  // namespace tact::testing

#endif  // TACT_TESTS_TESTING_DECISIONS_H_
