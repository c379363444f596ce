// The files and the hand-written side of benchmarks/cold_start.sh, which
// times whole processes that load a rule table and decide once (issue 19).
//
//   rule_table_cold write DIR
//     writes DIR/rules_<N>.textproto (GenerateRuleTable(N), N = 10, 100,
//     1000, 10000) and DIR/context.json: the first generated context on
//     which a rule of the 10-rule table fires, as proto3 JSON.
//   rule_table_cold hand N CONTEXT_JSON
//     the hand-written loop as a process: builds the N-rule table (its
//     "load": the rules are compiled into the program, RE2s built), reads
//     the context with protobuf's JSON parser, decides once and prints the
//     ranked action ids, one per line.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/hand_loop.h"
#include "benchmarks/rule_table.h"
#include "benchmarks/workload.h"
#include "google/protobuf/util/json_util.h"

namespace tact::bench {
namespace {

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) std::cerr << "cannot write " << path << "\n";
  return static_cast<bool>(out);
}

int Write(const std::string& dir) {
  for (int rules : {10, 100, 1000, 10000}) {
    if (!WriteFile(absl::StrCat(dir, "/rules_", rules, ".textproto"),
                   GenerateRuleTable(rules).policy)) {
      return 1;
    }
  }
  const HandLoop loop(GenerateRuleTable(10).rules);
  HandFacts facts;
  std::vector<int> fired;
  for (const v1::Context& context : GenerateContexts(100)) {
    ExtractFacts(context, &facts);
    loop.Match(facts, &fired);
    if (fired.empty()) continue;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(context, &json).ok()) {
      return 1;
    }
    return WriteFile(absl::StrCat(dir, "/context.json"), json) ? 0 : 1;
  }
  std::cerr << "no context fires a rule of the 10-rule table\n";
  return 1;
}

int Hand(int rules, const std::string& context_path) {
  const HandLoop loop(GenerateRuleTable(rules).rules);
  std::ifstream in(context_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << "cannot read " << context_path << "\n";
    return 1;
  }
  v1::Context context;
  auto status =
      google::protobuf::util::JsonStringToMessage(text.str(), &context, {});
  if (!status.ok()) {
    std::cerr << context_path << ": " << status.ToString() << "\n";
    return 1;
  }
  HandFacts facts;
  ExtractFacts(context, &facts);
  std::vector<int> fired;
  loop.Match(facts, &fired);
  for (int r : fired) std::cout << loop.rule(r).action << "\n";
  return 0;
}

}  // namespace
}  // namespace tact::bench

int main(int argc, char** argv) {
  int rules = 0;
  if (argc == 3 && std::string(argv[1]) == "write") {
    return tact::bench::Write(argv[2]);
  }
  if (argc == 4 && std::string(argv[1]) == "hand" &&
      absl::SimpleAtoi(argv[2], &rules) && rules > 0) {
    return tact::bench::Hand(rules, argv[3]);
  }
  std::cerr << "usage: rule_table_cold write DIR\n"
               "       rule_table_cold hand RULES CONTEXT_JSON\n";
  return 2;
}
