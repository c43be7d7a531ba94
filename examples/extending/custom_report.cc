// The TAP report of custom_report.h: a plan line, then "ok" or "not ok" per
// property checked; a failure carries its messages, the seed and the
// command that reruns the run, as TAP's YAML block.
#include "custom_report.h"

#include <fmt/ostream.h>

#include <algorithm>

namespace toy {
namespace {

class TapReport final : public ordeal::ReportListener {
 public:
  explicit TapReport(std::ostream& out) : out_(out) {}

  std::string on_finish(const ordeal::RunReport& r) override {
    const std::vector<const ordeal::Property*> checked =
        ordeal::checked_properties(r.scenario.properties);
    fmt::print(out_, "TAP version 13\n1..{}\n", checked.size());
    for (size_t i = 0; i < checked.size(); ++i) {
      std::vector<std::string> messages;
      for (const ordeal::Violation& v : r.outcome.violations) {
        if (v.property == checked[i]->name()) messages.push_back(v.message);
      }
      fmt::print(out_, "{} {} - {}\n", messages.empty() ? "ok" : "not ok", i + 1,
                 checked[i]->name());
      if (messages.empty()) continue;
      fmt::print(out_, "  ---\n  seed: {}\n  reproduce: '{}'\n  violations:\n", r.seed,
                 r.reproduce);
      for (const std::string& m : messages) fmt::print(out_, "    - '{}'\n", m);
      fmt::print(out_, "  ...\n");
    }
    out_.flush();
    return out_ ? std::string() : "the TAP report could not be written";
  }

 private:
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<ordeal::ReportListener> tap_report(std::ostream& out) {
  return std::make_unique<TapReport>(out);
}

}  // namespace toy
