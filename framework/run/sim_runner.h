// Runs one case on the in-process reference exchange in sim mode: the
// clients' operations, the metadata changes and the nemesis on one thread in
// virtual time, every random choice from the case's seed, so the same case
// gives the same history, byte for byte. After the nemesis heals there is a
// quiet period, then final reads of every order resolve unknown outcomes.
#pragma once

#include "framework/history/history.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "targets/exchange/defects.h"

namespace ordeal {

History run_sim_case(const Scenario& scenario, const Case& c, const exchange::DefectSet& defects);

}  // namespace ordeal
