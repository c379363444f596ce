#include "src/cli/why_not_printer.h"

#include <ostream>

#include "tact/v1/decision.pb.h"

namespace tact::cli {

void PrintWhyNotText(const v1::WhyNot& why_not, std::ostream& out) {
  out << "Why not \"" << why_not.action() << "\": " << why_not.status() << "\n"
      << why_not.summary() << "\n";
  int n = 0;
  for (const v1::WhyNotPath& path : why_not.paths()) {
    out << "\n"
        << ++n << ". " << path.source().source_kind() << " \""
        << path.source().source_id() << "\"\n";
    if (!path.source().text().empty()) {
      out << "   " << path.source().text() << "\n";
    }
    for (const v1::ContextChange& change : path.changes()) {
      out << "   change: " << change.text() << "\n";
    }
    const bool several = path.changes_size() > 1;
    if (path.verified()) {
      out << "   (checked: deciding again with "
          << (several ? "these changes" : "this change") << " recommends it)\n";
    } else if (path.changes_size() == 0) {
      out << "   (no change stated)\n";
    } else {
      out << "   (not verified: deciding again with "
          << (several ? "these changes" : "this change")
          << " does not recommend it)\n";
    }
  }
}

}  // namespace tact::cli
