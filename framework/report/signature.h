// A failure's signature: the property it broke and the parts of the system
// its shrunk case disturbs, so that many seeds that find one bug count as one
// bug (the nightly's failure corpus keys its entries by it).
//
//   FailureSignature s = failure_signature(scenario, *outcome.failing_case, outcome.violations);
//   // s.text:  "no-lost-cancel | disturbs meta"
//   // s.id:    "3f9c0a71d2e4b858" (a stable hash of the text, for file names)
//   // s.shape: "ops cancel place | faults upgrade | metadata tick" (shown, not hashed)
#pragma once

#include <string>
#include <vector>

#include "framework/check/property.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"

namespace ordeal {

struct FailureSignature {
  std::string text;   // what identifies the bug: property | components disturbed
  std::string id;     // 16 hex digits of a stable hash of `text`
  std::string shape;  // the shrunk case's kinds of operation, fault and metadata change
};

// Computed from the shrunk case only: the first violated property (the one
// shrinking preserved) and the set of components its faults and metadata
// changes act on (`meta` for metadata faults, changes and the upgrade,
// `engine`, `gateway`, `process@engine` for a process fault on an engine
// node, ...). Counts, times, seeds and the exact trigger are left out: they
// vary from seed to seed for one bug. `violations` must not be empty.
FailureSignature failure_signature(const Scenario& scenario, const Case& shrunk,
                                   const std::vector<Violation>& violations);

}  // namespace ordeal
