// decide POLICY CONTEXT_JSON: prints the decision as JSON (exactly
// `tact decide --format=json`), then one line per recommended action.
// Built from an installed tact with find_package(tact CONFIG REQUIRED).
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "tact/tact.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: decide POLICY CONTEXT_JSON\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<const tact::Engine>> engine =
      tact::Engine::FromFile(argv[1]);
  if (!engine.ok()) {
    std::cerr << engine.status().message() << "\n";
    return 1;
  }
  std::ifstream in(argv[2], std::ios::binary);
  std::stringstream json;
  json << in.rdbuf();
  absl::StatusOr<tact::v1::Context> context = tact::ContextFromJson(json.str());
  if (!context.ok()) {
    std::cerr << argv[2] << ": " << context.status().message() << "\n";
    return 1;
  }
  // The generated messages are part of the API: build on them directly.
  context->mutable_customer()->set_influence(context->customer().influence());
  absl::StatusOr<tact::v1::Decision> decision = (*engine)->Decide(*context);
  if (!decision.ok()) {
    std::cerr << decision.status().message() << "\n";
    return 1;
  }
  std::string out = tact::DecisionToJson(*decision);
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  std::cout << out;
  for (const tact::v1::RecommendedAction& action : decision->actions()) {
    std::cout << "action " << action.action() << "\n";
  }
  return 0;
}
