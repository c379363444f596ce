#include "src/runtime/rule_index.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace tact::internal {
namespace {

// Appends one literal to a group key, length-prefixed so that no two
// different literal tuples can make the same key.
void AppendKeyPart(absl::string_view part, std::string* key) {
  uint32_t size = static_cast<uint32_t>(part.size());
  key->append(reinterpret_cast<const char*>(&size), sizeof(size));
  key->append(part.data(), part.size());
}

}  // namespace

RuleIndex RuleIndex::Build(const std::vector<RulePlan>& rules,
                           const Program& program) {
  RuleIndex index;
  // Every equality test of every rule, and how often each field is tested.
  struct Found {
    ExprId field;
    int conjunct;
    std::string literal;
  };
  std::vector<std::vector<Found>> found(rules.size());
  absl::flat_hash_map<ExprId, int> uses;
  for (size_t r = 0; r < rules.size(); ++r) {
    const std::vector<Conjunct>& when = rules[r].when;
    for (int k = 0; k < static_cast<int>(when.size()); ++k) {
      ExprId field = -1;
      std::string literal;
      if (!program.AsStringEquality(when[k].expr, &field, &literal)) continue;
      bool seen = std::any_of(found[r].begin(), found[r].end(),
                              [&](const Found& f) { return f.field == field; });
      if (seen) continue;  // one test per field and rule is enough
      found[r].push_back({field, k, std::move(literal)});
      ++uses[field];
    }
  }
  // Index the most tested fields (ties: lower id, for determinism).
  std::vector<std::pair<int, ExprId>> ranked;
  for (const auto& [field, count] : uses) {
    if (count >= 2) ranked.push_back({-count, field});
  }
  std::sort(ranked.begin(), ranked.end());
  for (int i = 0; i < static_cast<int>(ranked.size()) && i < kMaxFields; ++i) {
    index.fields_.push_back(ranked[i].second);
  }

  index.tests_.resize(rules.size());
  for (size_t r = 0; r < rules.size(); ++r) {
    for (const Found& f : found[r]) {
      auto it = std::find(index.fields_.begin(), index.fields_.end(), f.field);
      if (it == index.fields_.end()) continue;
      index.tests_[r].push_back({static_cast<int>(it - index.fields_.begin()),
                                 f.conjunct, f.literal});
    }
    std::vector<Test>& tests = index.tests_[r];
    if (tests.empty()) {
      index.unindexed_.push_back(static_cast<int>(r));
      continue;
    }
    std::sort(tests.begin(), tests.end(),
              [](const Test& a, const Test& b) { return a.field < b.field; });
    uint32_t mask = 0;
    std::string key;
    for (const Test& t : tests) {
      mask |= 1u << t.field;
      AppendKeyPart(t.literal, &key);
    }
    auto group = std::find_if(index.groups_.begin(), index.groups_.end(),
                              [&](const Group& g) { return g.mask == mask; });
    if (group == index.groups_.end()) {
      index.groups_.push_back(Group{mask, {}});
      group = index.groups_.end() - 1;
    }
    group->rules[key].push_back(static_cast<int>(r));
  }
  return index;
}

RuleIndex::FieldValues RuleIndex::ReadFields(const Program& program,
                                             Frame& frame) const {
  FieldValues values;
  for (ExprId field : fields_) {
    // Indexed fields are plain string slots: they never err.
    values.push_back(program.Evaluate(field, frame).string_value);
  }
  return values;
}

void RuleIndex::Candidates(const FieldValues& values,
                           std::vector<int>* out) const {
  out->clear();
  out->insert(out->end(), unindexed_.begin(), unindexed_.end());
  std::string key;
  for (const Group& group : groups_) {
    key.clear();
    for (int f = 0; f < static_cast<int>(fields_.size()); ++f) {
      if (group.mask & (1u << f)) AppendKeyPart(values[f], &key);
    }
    auto it = group.rules.find(key);
    if (it != group.rules.end()) {
      out->insert(out->end(), it->second.begin(), it->second.end());
    }
  }
  std::sort(out->begin(), out->end());
}

int RuleIndex::FalseConjunct(int rule, const FieldValues& values) const {
  for (const Test& t : tests_[rule]) {
    if (values[t.field] != t.literal) return t.conjunct;
  }
  return -1;
}

}  // namespace tact::internal
