// Runs one case against a target: the clients' operations, the metadata
// changes and the nemesis, recorded as a history. After the nemesis heals
// there is a quiet period, then final reads of every order resolve unknown
// outcomes. On the sim target the same case gives the same history, byte
// for byte; on a live target it runs in real time.
#pragma once

#include "framework/history/history.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "framework/run/target.h"

namespace ordeal {

// `error` (if given) is set when the case could not run as written, e.g. a
// hook command failed; the target's own failures are in target.error().
History run_case(Target& target, const Scenario& scenario, const Case& c,
                 std::string* error = nullptr);

}  // namespace ordeal
