#include "benchmarks/hand_loop.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "re2/re2.h"

namespace tact::bench {
namespace {

constexpr int64_t kNinetyDays = 90 * 86400;

// Seconds and nanoseconds, compared as a pair.
bool AtOrBefore(const google::protobuf::Timestamp& a,
                const google::protobuf::Timestamp& b) {
  return a.seconds() != b.seconds() ? a.seconds() < b.seconds()
                                    : a.nanos() <= b.nanos();
}

// now - at <= 90 days, for at <= now.
bool WithinNinetyDays(const google::protobuf::Timestamp& at,
                      const google::protobuf::Timestamp& now) {
  const int64_t seconds = now.seconds() - at.seconds();
  const int32_t nanos = now.nanos() - at.nanos();
  return seconds < kNinetyDays || (seconds == kNinetyDays && nanos <= 0);
}

template <typename T>
bool Compare(T value, RuleOp op, T operand) {
  switch (op) {
    case RuleOp::kLt:
      return value < operand;
    case RuleOp::kLe:
      return value <= operand;
    case RuleOp::kGt:
      return value > operand;
    case RuleOp::kGe:
      return value >= operand;
    case RuleOp::kEq:
      return value == operand;
    case RuleOp::kMatches:
      break;
  }
  return false;
}

}  // namespace

void ExtractFacts(const v1::Context& context, HandFacts* facts) {
  const v1::Customer& customer = context.customer();
  const v1::Case& kase = context.case_();
  facts->tier = customer.tier();
  facts->channel = kase.channel();
  facts->category = kase.category();
  facts->message = kase.message();
  facts->lifetime_value = customer.lifetime_value();
  facts->spend_12m = customer.spend_12m();
  facts->tenure_days = customer.tenure_days();
  facts->orders_12m = customer.orders_12m();
  facts->influence = customer.influence();
  facts->sentiment = kase.sentiment();
  // CEL's int(timestamp) is whole seconds; / truncates toward zero as C++.
  facts->hours_open =
      kase.has_opened_at()
          ? (context.now().seconds() - kase.opened_at().seconds()) / 3600
          : 0;
  int64_t complaints = 0;
  for (const v1::Event& e : context.history()) {
    if (e.kind() == "complaint" && AtOrBefore(e.at(), context.now()) &&
        WithinNinetyDays(e.at(), context.now())) {
      ++complaints;
    }
  }
  facts->complaints_90d = complaints;
}

HandLoop::HandLoop(std::vector<TableRule> rules) : rules_(std::move(rules)) {
  compiled_.reserve(rules_.size());
  for (const TableRule& r : rules_) {
    Rule& rule = compiled_.emplace_back();
    rule.priority = r.priority;
    for (const RuleCondition& c : r.conditions) {
      Condition& condition = rule.conditions.emplace_back();
      condition.field = c.field;
      condition.op = c.op;
      condition.text = c.text;
      condition.integer = c.integer;
      condition.number = c.number;
      if (c.op == RuleOp::kMatches) {
        condition.regex = std::make_unique<RE2>(c.text);
      }
    }
  }
}

bool HandLoop::Holds(const Condition& c, const HandFacts& f) {
  switch (c.field) {
    case RuleField::kTier:
      return f.tier == c.text;
    case RuleField::kChannel:
      return f.channel == c.text;
    case RuleField::kCategory:
      return f.category == c.text;
    case RuleField::kMessage:
      return RE2::PartialMatch(
          re2::StringPiece(f.message.data(), f.message.size()), *c.regex);
    case RuleField::kLifetimeValue:
      return Compare(f.lifetime_value, c.op, c.integer);
    case RuleField::kSpend12m:
      return Compare(f.spend_12m, c.op, c.integer);
    case RuleField::kTenureDays:
      return Compare(f.tenure_days, c.op, c.integer);
    case RuleField::kOrders12m:
      return Compare(f.orders_12m, c.op, c.integer);
    case RuleField::kHoursOpen:
      return Compare(f.hours_open, c.op, c.integer);
    case RuleField::kComplaints90d:
      return Compare(f.complaints_90d, c.op, c.integer);
    case RuleField::kInfluence:
      return Compare(f.influence, c.op, c.number);
    case RuleField::kSentiment:
      return Compare(f.sentiment, c.op, c.number);
  }
  return false;
}

void HandLoop::Match(const HandFacts& facts, std::vector<int>* fired) const {
  fired->clear();
  for (size_t r = 0; r < compiled_.size(); ++r) {
    bool holds = true;
    for (const Condition& c : compiled_[r].conditions) {
      if (!Holds(c, facts)) {
        holds = false;
        break;
      }
    }
    if (holds) fired->push_back(static_cast<int>(r));
  }
  // Action ids are the rules' zero-padded positions: index order is id
  // order.
  std::sort(fired->begin(), fired->end(), [this](int a, int b) {
    const int pa = compiled_[a].priority, pb = compiled_[b].priority;
    return pa != pb ? pa > pb : a < b;
  });
}

}  // namespace tact::bench
