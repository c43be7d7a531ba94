// RapidCheck generators for cases, from a scenario's workload, metadata and
// nemesis settings. Each case arms a random subset of the scenario's faults
// (swarm testing). Each list (a client's operations, the metadata changes,
// the fault windows) is one RapidCheck draw (seeded_list.h). Shrinking removes
// operations, metadata changes and fault windows, and simplifies what remains.
// Include <rapidcheck.h> to use it.
#pragma once

#include "framework/run/case.h"
#include "framework/run/scenario.h"

namespace rc {
template <typename T>
class Gen;
}

namespace ordeal {

rc::Gen<Case> case_generator(const Scenario& scenario);

// The same cases, each draw made inside rc::gen::exec: case_generator's
// shrinks are this generator's. case_generator computes a case's value
// without RapidCheck's records of its draws, which only shrinking needs;
// tests compare the two.
rc::Gen<Case> recorded_case_generator(const Scenario& scenario);

}  // namespace ordeal
