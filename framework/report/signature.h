// A failure's signature: the property it broke and the shape of its shrunk
// case, so that many seeds that find one bug count as one bug (the nightly's
// failure corpus keys its entries by it).
//
//   FailureSignature s = failure_signature(scenario, *outcome.failing_case, outcome.violations);
//   // s.text: "no-lost-cancel | ops cancel place | faults meta.update.drop upgrade | metadata -"
//   // s.id:   "3f9c0a71d2e4b858" (a stable hash of the text, for file names)
#pragma once

#include <string>
#include <vector>

#include "framework/check/property.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"

namespace ordeal {

struct FailureSignature {
  std::string text;  // readable: property | operation kinds | faults | metadata change kinds
  std::string id;    // 16 hex digits of a stable hash of `text`
};

// Computed from the shrunk case only: which kinds of operation, fault and
// metadata change survived shrinking (as sets, not counts or times, which
// vary from seed to seed for one bug), and the first violated property (the
// one shrinking preserved). `violations` must not be empty.
FailureSignature failure_signature(const Scenario& scenario, const Case& shrunk,
                                   const std::vector<Violation>& violations);

}  // namespace ordeal
