// A deterministic benchmark workload: generated policies of any size with a
// realistic mix of conditions and every construct, and contexts with
// realistic distributions. Same seed, same workload, on every machine.
#ifndef TACT_BENCHMARKS_WORKLOAD_H_
#define TACT_BENCHMARKS_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tact/v1/context.pb.h"

namespace tact::bench {

// A policy (text format) with `rules` rules: each has 2-4 conditions drawn
// from equality on tier, channel and category; comparisons on severity,
// lifetime value, sentiment, hours open, complaints in 90 days and goodwill
// granted; about 10% test the message with a regex. It also has two
// escalation ladders, a strike limit, a goodwill budget and a recovery
// playbook.
std::string GeneratePolicy(int rules, uint64_t seed = 20261123);

// `count` contexts, all with `now` = 2026-03-10T15:00:00Z.
std::vector<v1::Context> GenerateContexts(int count, uint64_t seed = 7);

}  // namespace tact::bench

#endif  // TACT_BENCHMARKS_WORKLOAD_H_
