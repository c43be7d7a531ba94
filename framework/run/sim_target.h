// The `inproc` target: the whole reference exchange in this process on the
// simulated network, one thread, virtual time, every random choice from the
// case's seed. Each case starts on an exchange as newly built: run_sim_case
// resets one exchange per thread, which is the same but cheaper.
//
//   History h = run_sim_case(scenario, c, defects);
#pragma once

#include <memory>
#include <string>

#include "framework/history/history.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "framework/run/target.h"
#include "targets/exchange/defects.h"

namespace ordeal {

// absorb_heartbeats: SimNetworkConfig's; off only to compare.
std::unique_ptr<Target> make_sim_target(const Scenario& scenario, const Case& c,
                                        const exchange::DefectSet& defects,
                                        bool absorb_heartbeats = true);

// make_sim_target + run_case, on this thread's reused exchange.
// `error` (if given) gets what the simulator could not do, such as a fault
// that needs real processes; the history then is no evidence.
History run_sim_case(const Scenario& scenario, const Case& c, const exchange::DefectSet& defects,
                     std::string* error = nullptr);

}  // namespace ordeal
